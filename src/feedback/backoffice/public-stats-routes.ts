import { intervalText, type Estimate } from '../../kernel/stats/index.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { loadProcedurePlace } from '../../catalog/index.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { html } from '../../kernel/web/html.ts';
import { countOf, formatDate, formatInteger } from '../../kernel/web/format.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { indicatorsBy, minimumReviews } from '../analytics/indicators.ts';
import { procedureSeries } from '../analytics/series.ts';
import { notFound } from './access.ts';
import { idParam, idParamsOr404 } from '../../kernel/web/ids.ts';
import { actionForm, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { parseWindow } from './window.ts';
import { PUBLIC, inScope } from '../../kernel/web/access.ts';
import { bumpPublicCache } from '../../observatoire/index.ts';

const one = (v: number | null, unit: string) => (v === null ? '–' : `${v.toFixed(1).replace('.', ',')}${unit}`);

const NOT_FOUND = 'Page non trouvée';
/** The text of notFound (access.ts) for a procedure. */
const NO_PROCEDURE = 'Cette démarche n’existe pas ou plus.';
/** The procedure and the action of the URL: another id or action is the same 404 as an unknown procedure. */
const publicationParams = z.object({
  id: idParam(NO_PROCEDURE, NOT_FOUND),
  action: z
    .string()
    .refine((action) => action === 'publier' || action === 'retirer', { message: NO_PROCEDURE, params: { title: NOT_FOUND } })
    .transform((action) => (action === 'publier' ? 'publier' : 'retirer')),
});
const statsParams = idParamsOr404(NOT_FOUND, 'Les statistiques d’avis de cette démarche ne sont pas publiques.');

/** A public statistics page per procedure, when its team makes it public. */
export async function publicStatsRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  app.post(
    '/avis/demarches/:id/statistiques/:action',
    { ...inScope('procedure', 'edit'), schema: { params: publicationParams, body: actionForm } },
    async (request, reply) => {
      const user = request.user!;
      const { id, action } = request.params;
      const place = await loadProcedurePlace(db, id);
      if (!place) return notFound(request, reply);
      await db.transaction(async (tx) => {
        if (action === 'publier') {
          await tx.query(
            'INSERT INTO feedback_public_stats (procedure_id, made_public_by) VALUES ($1, $2) ON CONFLICT (procedure_id) DO NOTHING',
            [id, user.id],
          );
        } else {
          await tx.query('DELETE FROM feedback_public_stats WHERE procedure_id = $1', [id]);
        }
        await audit(tx, {
          actor: user,
          action: action === 'publier' ? 'feedback.stats.publish' : 'feedback.stats.unpublish',
          entityType: 'procedure',
          entityId: id,
          ipHash: request.ipHash,
        });
      });
      // The procedure's public observatoire page links to these statistics: its cached copies are out of date.
      bumpPublicCache(db);
      return redirectSeeOther(reply, `/avis/demarches/${id}`);
    },
  );

  // Every procedure whose team published its statistics (linked from the sitemap).
  app.get('/statistiques/avis', PUBLIC, async (request, reply) => {
    const { rows } = await db.query<{ id: number; title: string; administration: string }>(
      `SELECT p.id, p.title, a.name AS administration FROM feedback_public_stats s JOIN procedures p ON p.id = s.procedure_id
         JOIN administrations a ON a.id = p.administration_id WHERE p.archived_at IS NULL ORDER BY p.title, p.id`,
    );
    return sendPage(request, reply, {
      title: 'Statistiques publiques des avis usagers',
      breadcrumb: [{ label: 'Statistiques publiques des avis usagers' }],
      content: html`<h1>Statistiques publiques des avis usagers</h1>
<p>Les équipes de ces démarches publient les avis recueillis par le bouton « Je donne mon avis ».</p>
${
  rows.length
    ? html`<ul>${rows.map((r) => html`<li><a href="/statistiques/avis/${r.id}">${r.title}</a> (${r.administration})</li>`)}</ul>`
    : html`<p>Aucune démarche n’a encore publié ses statistiques.</p>`
}`,
    });
  });

  app.get('/statistiques/avis/:id', { ...PUBLIC, schema: { params: statsParams } }, async (request, reply) => {
    const id = request.params.id;
    const { rows } = await db.query(
      'SELECT p.id, p.title FROM procedures p JOIN feedback_public_stats s ON s.procedure_id = p.id WHERE p.id = $1',
      [id],
    );
    if (!rows[0]) return sendErrorPage(request, reply, 404, NOT_FOUND, 'Les statistiques d’avis de cette démarche ne sont pas publiques.');
    const { window } = parseWindow({});
    const [ind, minimum, series] = await Promise.all([
      indicatorsBy(db, 'procedure', [id], window),
      minimumReviews(db),
      procedureSeries(db, id, window, 'month'),
    ]);
    const i = ind.get(id)!;
    const enough = i.reviews >= minimum;
    const value = (v: number | null, unit: string) => (enough ? one(v, unit) : 'Nombre d’avis insuffisant');
    const note = (e: Estimate | null, unit: string) => (enough && e ? `${intervalText(e, unit)} (${countOf(e.n, 'réponse')})` : '–');
    return sendPage(request, reply, {
      title: `Avis des usagers : ${rows[0].title}`,
      breadcrumb: [
        { label: 'Statistiques publiques des avis usagers', href: '/statistiques/avis' },
        { label: `Avis des usagers : ${rows[0].title}` },
      ],
      content: html`<h1>Avis des usagers : ${rows[0].title}</h1>
<p>Du ${formatDate(window.start)} au ${formatDate(window.end)} : ${formatInteger(i.reviews)} avis recueillis par le bouton « Je donne mon avis ».${enough ? '' : ` Les indicateurs sont affichés à partir de ${formatInteger(minimum)} avis.`}</p>
<div class="fr-table"><table><caption>Indicateurs des 365 derniers jours</caption>
<thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur</th><th scope="col">Intervalle de confiance à 95 % et réponses</th></tr></thead>
<tbody>
<tr><th scope="row">Satisfaction</th><td>${value(i.satisfaction, ' / 10')}</td><td>${note(i.estimates.satisfaction, ' / 10')}</td></tr>
<tr><th scope="row">Clarté du langage</th><td>${value(i.clarity, ' / 10')}</td><td>${note(i.estimates.clarity, ' / 10')}</td></tr>
<tr><th scope="row">Aide joignable</th><td>${value(i.helpReachable, ' %')}</td><td>${note(i.estimates.helpReachable, ' %')}</td></tr>
<tr><th scope="row">Aide efficace</th><td>${value(i.helpEfficient, ' / 10')}</td><td>${note(i.estimates.helpEfficient, ' / 10')}</td></tr>
<tr><th scope="row">Niveau d’autonomie</th><td>${value(i.autonomy, ' %')}</td><td>${note(i.estimates.autonomy, ' %')}</td></tr>
</tbody></table></div>
<p class="fr-text--sm"><a href="/aide/statistiques">Comprendre les intervalles de confiance</a></p>
${
  series.length
    ? html`<div class="fr-table"><table><caption>Avis par mois</caption><thead><tr><th scope="col">Mois commençant le</th><th scope="col">Avis</th></tr></thead>
<tbody>${series.map((p) => html`<tr><th scope="row">${formatDate(p.bucket)}</th><td>${formatInteger(p.reviews)}</td></tr>`)}</tbody></table></div>`
    : ''
}`,
    });
  });
}
