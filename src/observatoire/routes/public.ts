import type { FastifyPluginAsync } from 'fastify';
import { historyStatistics } from '../statistics/edition-statistics.ts';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { html } from '../../kernel/web/html.ts';
import { formatDate } from '../../kernel/web/format.ts';
import { sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { getEdition, latestPublished, listPublished } from '../editions/drafts.ts';
import { sendEditionView } from './edition-view.ts';
import { STYLESHEET, observatoireLinks } from '../views/edition-page.ts';
import { procedureHistory } from '../history/queries.ts';
import { loadIndicators } from '../rules/repository.ts';
import { procedurePage } from '../views/procedure-page.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import { idParamsOr404 } from '../../kernel/web/ids.ts';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { listQuery } from '../api/schemas.ts';
import { z } from 'zod';

/** Public pages of the current and past editions (no sign-in). */
export const publicEditionRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  // The table's query is validated by the same route schema as the API's (api/schemas.ts); its values by parseTableQuery.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const editionNotFound = idParamsOr404('Édition introuvable', 'Cette édition n’existe pas ou n’est pas publiée.');
  const NO_PROCEDURE = 'Aucune édition publiée de l’observatoire ne contient cette démarche.';
  const stableIdParams = z.object({
    stableId: z.string().refine((value) => value.length <= 100, { message: NO_PROCEDURE, params: { title: 'Démarche introuvable' } }),
  });
  app.get('/observatoire', { ...PUBLIC, schema: { querystring: listQuery } }, async (request, reply) => {
    const source = { cacheKey: 'latest', load: () => latestPublished(db) };
    return sendEditionView(db, request, reply, source, true, () =>
      sendPage(request, reply, {
        title: 'Observatoire',
        breadcrumb: [{ label: 'Observatoire' }],
        content: html`<h1>Observatoire de la qualité des démarches en ligne</h1>
<p>Aucune édition n’a encore été publiée. <a href="/observatoire/aide">Découvrir l’observatoire et ses indicateurs</a>.</p>`,
      }),
    );
  });

  app.get('/observatoire/editions', PUBLIC, async (request, reply) => {
    const editions = await listPublished(db);
    return sendPage(request, reply, {
      title: 'Éditions de l’observatoire',
      breadcrumb: [{ label: 'Observatoire', href: '/observatoire' }, { label: 'Éditions' }],
      content: html`${STYLESHEET}<h1>Éditions de l’observatoire</h1>
${observatoireLinks()}
${
  editions.length === 0
    ? html`<p>Aucune édition publiée.</p>`
    : html`<div class="fr-table"><table>
  <caption>Éditions publiées, de la plus récente à la plus ancienne</caption>
  <thead><tr><th scope="col">Édition</th><th scope="col">Période</th><th scope="col">Publiée le</th><th scope="col">Règles</th></tr></thead>
  <tbody>${editions.map((e) => html`<tr><th scope="row"><a href="/observatoire/editions/${e.id}">${e.name}</a></th><td>${e.period}</td><td>${formatDate(e.publishedAt)}</td><td>version ${e.ruleVersion}</td></tr>`)}</tbody>
</table></div>`
}`,
    });
  });

  app.get(
    '/observatoire/editions/:id',
    { ...PUBLIC, schema: { params: editionNotFound, querystring: listQuery } },
    async (request, reply) => {
      const notFound = () => sendErrorPage(request, reply, 404, 'Édition introuvable', 'Cette édition n’existe pas ou n’est pas publiée.');
      const { id } = request.params;
      const load = async () => {
        const edition = await getEdition(db, id);
        return edition && edition.status === 'published' ? edition : null;
      };
      return sendEditionView(db, request, reply, { cacheKey: `edition:${id}`, load }, false, notFound);
    },
  );

  app.get('/observatoire/demarches/:stableId', { ...PUBLIC, schema: { params: stableIdParams } }, async (request, reply) => {
    const stableId = request.params.stableId;
    const [defs, history, catalog] = await Promise.all([
      loadIndicators(db),
      procedureHistory(db, stableId),
      // Feedback statistics a procedure team made public (feedback module's table) are linked from here.
      db.query(
        `SELECT id, url, info_url, help_channels, archived_at, EXISTS (SELECT 1 FROM feedback_public_stats s WHERE s.procedure_id = procedures.id) AS public_stats
           FROM procedures WHERE stable_id = $1`,
        [stableId],
      ),
    ]);
    if (history.length === 0) return sendErrorPage(request, reply, 404, 'Démarche introuvable', NO_PROCEDURE);
    const c = catalog.rows[0];
    const stats = await historyStatistics(
      db,
      stableId,
      history.map((h) => h.editionId),
    );
    const info = c ? { url: c.url, infoUrl: c.info_url, helpChannels: Array.isArray(c.help_channels) ? c.help_channels : [] } : null;
    return sendPage(request, reply, {
      title: history[history.length - 1].title,
      breadcrumb: [{ label: 'Observatoire', href: '/observatoire' }, { label: history[history.length - 1].title }],
      content: procedurePage(
        stableId,
        defs,
        history,
        info,
        c?.public_stats ? `/statistiques/avis/${c.id}` : null,
        c ? `/temoignages/demarches/${c.id}` : null,
        c && !c.archived_at ? `/aide/demarches/${c.id}` : null,
        stats,
      ),
    });
  });
};
