/**
 * The défi's team at work (issue 15): a member of a défi's team may edit its actions, through the declared access
 * (`inScope('ministry', 'edit', 'id', 'challenge')`: the steering team, the referent of the défi's ministry, and the
 * members granted this défi alone by `challengePlace`), and sees « Mes défis », the défis they belong to.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { inScope, SIGNED_IN } from '../kernel/web/access.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../kernel/web/render.ts';
import { html } from '../kernel/web/html.ts';
import { errorSummary, type FieldErrors } from '../kernel/web/forms.ts';
import { idParamsOr404 } from '../kernel/web/ids.ts';
import { formTexts, type ZodTypeProvider } from '../kernel/web/schemas.ts';
import { STATUS_LABELS } from './challenge-file.ts';
import { challengeProcedures, challengesOfMember, getChallenge, listActions, listMembers, type Challenge } from './queries.ts';
import { actionsTable, challengeFacts, teamList } from './views/challenge-page.ts';
import { actionForms, addAction, changeActionStatus } from './actions.ts';
import { storyThemesHref } from './story-themes.ts';

export const TEAM = '/defis/equipe';
const TEAM_ACCESS = inScope('ministry', 'edit', 'id', 'challenge');
const CRUMBS = [{ label: 'Mes défis', href: '/mes-defis' }];

export const teamRoutes: FastifyPluginAsync<AppDeps> = async (instance, { db }) => {
  // The défi's id validated by the route schema; the action forms' fields by addAction/changeActionStatus, beside them.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const params = idParamsOr404('Défi introuvable', 'Ce défi n’existe pas.');
  app.get('/mes-defis', SIGNED_IN, async (request, reply) => {
    const list = await challengesOfMember(db, request.user!.id);
    return sendPage(request, reply, {
      title: 'Mes défis',
      breadcrumb: [{ label: 'Mes défis' }],
      content: html`<h1>Mes défis</h1>
<p>Les défis dont vous faites partie de l’équipe : vous pouvez en ajouter et en mettre à jour les actions.</p>
${
  list.length === 0
    ? html`<p>Vous ne faites partie de l’équipe d’aucun défi. L’équipe de pilotage ajoute les membres d’un défi.</p>`
    : html`<div class="fr-table"><table><caption>Mes défis</caption>
<thead><tr><th scope="col">Défi</th><th scope="col">Mon rôle</th><th scope="col">Statut</th><th scope="col">Page publique</th></tr></thead>
<tbody>${list.map(
        (
          c,
        ) => html`<tr><th scope="row"><a href="${TEAM}/${c.id}">${c.title}</a></th><td>${c.role || '–'}</td><td>${STATUS_LABELS[c.status]}</td>
<td>${c.status === 'brouillon' ? 'non publiée' : html`<a href="/defis/${c.slug}">${c.title}<span class="fr-sr-only"> (page publique)</span></a>`}</td></tr>`,
      )}</tbody></table></div>`
}`,
    });
  });

  async function load(request: FastifyRequest, reply: FastifyReply, id: number): Promise<Challenge | null> {
    const c = await getChallenge(db, { id });
    if (!c) sendErrorPage(request, reply, 404, 'Défi introuvable', 'Ce défi n’existe pas.');
    return c;
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    c: Challenge,
    errors: FieldErrors = {},
    values: Record<string, string> = {},
    status = 200,
  ) {
    const token = reply.generateCsrf();
    const [procedures, members, actions] = [
      await challengeProcedures(db, c.procedures),
      await listMembers(db, c.id),
      await listActions(db, c.id),
    ];
    return sendPage(
      request,
      reply,
      {
        title: `Équipe : ${c.title}`,
        breadcrumb: [...CRUMBS, { label: c.title }],
        content: html`<h1>${c.title}</h1>
${errorSummary(errors)}
${challengeFacts(c, procedures)}
<h2>Équipe</h2>
${teamList(members)}
${
  procedures.length
    ? html`<h2>Ce que racontent les usagers</h2>
<p class="fr-text--sm">Réservé à l’équipe de chaque démarche (droit de lecture sur la démarche).</p>
<ul>${procedures.map((p) => html`<li><a href="${storyThemesHref(p.id)}">Thèmes des récits d’usagers : ${p.title}</a></li>`)}</ul>`
    : ''
}
<h2>Actions</h2>
${actionsTable(actions)}
${actionForms(`${TEAM}/${c.id}`, token, actions, errors, values)}`,
      },
      status,
    );
  }

  app.get(`${TEAM}/:id`, { ...TEAM_ACCESS, schema: { params } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    return c ? page(request, reply, c) : reply;
  });

  app.post(`${TEAM}/:id/actions`, { ...TEAM_ACCESS, schema: { params, body: formTexts } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    if (!c) return reply;
    const outcome = await addAction(db, request, request.body, c.id);
    return outcome.ok ? redirectSeeOther(reply, `${TEAM}/${c.id}`) : page(request, reply, c, outcome.errors, outcome.values, 400);
  });

  app.post(`${TEAM}/:id/actions/statut`, { ...TEAM_ACCESS, schema: { params, body: formTexts } }, async (request, reply) => {
    const c = await load(request, reply, request.params.id);
    if (!c) return reply;
    const outcome = await changeActionStatus(db, request, request.body, c.id);
    return outcome.ok ? redirectSeeOther(reply, `${TEAM}/${c.id}`) : page(request, reply, c, outcome.errors, {}, 400);
  });
};
