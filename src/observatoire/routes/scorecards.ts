import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { html } from '../../kernel/web/html.ts';
import { sendErrorPage, sendPage } from '../../kernel/web/render.ts';
import { getEdition, latestPublished, previousPublished, type Edition } from '../editions/drafts.ts';
import { loadGoals, loadIndicators } from '../rules/repository.ts';
import { CATEGORY_NAMES, groupScores, type GroupKind } from '../scorecards/compute.ts';
import { filterOptions } from '../table/options.ts';
import { scorecardPage } from '../views/scorecard-page.ts';
import { PUBLIC } from '../../kernel/web/access.ts';
import { idParam } from '../../kernel/web/ids.ts';
import { z } from 'zod';
import type { ZodTypeProvider } from '../../kernel/web/schemas.ts';

/** Public scorecards: national, per ministry, per administration; `?edition=` chooses a past edition. */
export const scorecardRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  // `?edition=` (an edition's id; another value is a 404 page), and the group's id in the URL, by route schemas.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const NO_EDITION = 'Aucune édition publiée ne correspond.';
  const query = z.looseObject({ edition: idParam(NO_EDITION, 'Aucune édition').optional() });
  const groupId = z.object({
    id: idParam('Ce groupe (ministère, administration ou catégorie d’usagers) ne figure pas dans cette édition.', 'Groupe introuvable'),
  });

  /** The edition of `?edition=` when given (published only), the latest published one otherwise. */
  async function chosenEdition(id: number | undefined): Promise<Edition | null> {
    if (id !== undefined) {
      const e = await getEdition(db, id);
      return e?.status === 'published' ? e : null;
    }
    return latestPublished(db);
  }

  /** The button goal figure of the group over the edition's feedback window: its list for a ministry or administration. */
  function buttonGoalHref(kind: GroupKind, groupId: number | string | null, edition: { windowStart: string; windowEnd: string }): string {
    const window = { debut: edition.windowStart, fin: edition.windowEnd };
    if (kind === 'ministry')
      return `/statistiques/bouton/demarches?${new URLSearchParams({ ministere: String(groupId), ...window }).toString()}`;
    if (kind === 'administration')
      return `/statistiques/bouton/demarches?${new URLSearchParams({ administration: String(groupId), ...window }).toString()}`;
    return `/statistiques/bouton?${new URLSearchParams(window).toString()}`;
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: GroupKind,
    groupId: number | string | null,
    editionId: number | undefined,
  ): Promise<FastifyReply> {
    const edition = await chosenEdition(editionId);
    if (!edition) return sendErrorPage(request, reply, 404, 'Aucune édition', NO_EDITION);
    const previous = await previousPublished(db, edition);
    const [defs, goals, current, before, options] = await Promise.all([
      loadIndicators(db),
      loadGoals(db),
      groupScores(db, edition.id, kind, groupId),
      previous ? groupScores(db, previous.id, kind, groupId) : Promise.resolve([]),
      filterOptions(db, edition.id),
    ]);
    if (kind !== 'national' && current.length === 0)
      return sendErrorPage(
        request,
        reply,
        404,
        'Groupe introuvable',
        'Ce groupe (ministère, administration ou catégorie d’usagers) ne figure pas dans cette édition.',
      );
    const group = current[0] ?? null;
    const heading = kind === 'national' ? 'Tableau de bord national' : `Tableau de bord : ${group!.groupName}`;
    const suffix = editionId !== undefined ? `?edition=${edition.id}` : '';
    const groupLinks =
      kind === 'national'
        ? html`<h2>Par ministère</h2><ul>${options.ministries.map((m) => html`<li><a href="/observatoire/tableaux-de-bord/ministeres/${m.id}${suffix}">${m.name}</a></li>`)}</ul>
<h2>Par catégorie d’usagers</h2><ul>${Object.entries(CATEGORY_NAMES).map(([code, name]) => html`<li><a href="/observatoire/tableaux-de-bord/categories/${code}${suffix}">${name}</a></li>`)}</ul>
<h2>Par administration</h2><ul>${options.administrations.map((a) => html`<li><a href="/observatoire/tableaux-de-bord/administrations/${a.id}${suffix}">${a.name}</a> (${a.ministryName})</li>`)}</ul>`
        : undefined;
    return sendPage(request, reply, {
      title: heading,
      breadcrumb: [
        { label: 'Observatoire', href: '/observatoire' },
        { label: 'Tableaux de bord', href: '/observatoire/tableaux-de-bord' },
        ...(kind === 'national' ? [] : [{ label: group!.groupName }]),
      ],
      content: scorecardPage({
        heading,
        edition,
        previous,
        defs,
        current: group,
        before: before[0] ?? null,
        goals,
        groupLinks,
        buttonGoalHref: buttonGoalHref(kind, groupId, edition),
      }),
    });
  }

  app.get('/observatoire/tableaux-de-bord', { ...PUBLIC, schema: { querystring: query } }, (request, reply) =>
    render(request, reply, 'national', null, request.query.edition),
  );
  app.get(
    '/observatoire/tableaux-de-bord/ministeres/:id',
    { ...PUBLIC, schema: { params: groupId, querystring: query } },
    (request, reply) => render(request, reply, 'ministry', request.params.id, request.query.edition),
  );
  app.get(
    '/observatoire/tableaux-de-bord/categories/:code',
    { ...PUBLIC, schema: { params: z.object({ code: z.string() }), querystring: query } },
    (request, reply) =>
      render(
        request,
        reply,
        'category',
        Object.hasOwn(CATEGORY_NAMES, request.params.code) ? request.params.code : '-',
        request.query.edition,
      ),
  );
  app.get(
    '/observatoire/tableaux-de-bord/administrations/:id',
    { ...PUBLIC, schema: { params: groupId, querystring: query } },
    (request, reply) => render(request, reply, 'administration', request.params.id, request.query.edition),
  );
};
