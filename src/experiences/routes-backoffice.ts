import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { SIGNED_IN, STEERING, inScope, sendForbidden } from '../kernel/web/access.ts';
import { idParams, idParamsOr404, parseId } from '../kernel/web/ids.ts';
import { formBody, type ZodTypeProvider } from '../kernel/web/schemas.ts';
import { z } from 'zod';
import { html, type SafeHtml } from '../kernel/web/html.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../kernel/web/render.ts';
import { csrfField, errorSummary, fieldId, input } from '../kernel/web/forms.ts';
import { formatDate, formatInteger, countOf } from '../kernel/web/format.ts';
import { audit } from '../kernel/audit/audit.ts';
import { canManageAdministration, canManageMinistry } from '../kernel/auth/scope.ts';
import {
  ANSWER_MAX,
  CHANNEL_SHORT,
  FEELING_LABELS,
  REASON_MAX,
  REFUSAL_LABELS,
  REFUSAL_REASONS,
  STATUS_LABELS,
  isOneOf,
  type RefusalReason,
} from './model.ts';
import { answerStory, concludeStory, moderate, StoryStateError } from './store.ts';
import {
  answersOf,
  eventsOf,
  isOverdue,
  moderates,
  moderatesNothing,
  moderationQueue,
  moderationScope,
  storiesToManage,
  storyById,
  type StoryRow,
} from './queries.ts';
import { answerBlock, days, figuresTable, historyTable, helpfulLine, percent, statusBadge } from './views.ts';
import { DEFAULT_DELAYS, delayFigures, delaysOf } from './delays.ts';
import { emailRetentionDays, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, setEmailRetentionDays } from './retention.ts';
import { isAdmin } from '../kernel/auth/scope.ts';

/** The notice after a redirect (`?etat=…`): another value or none shows no notice. */
const stateQuery = z.looseObject({
  etat: z
    .unknown()
    .optional()
    .transform((value) => (value === 'modere' || value === 'enregistre' ? value : undefined)),
});
type StateRequest = FastifyRequest<{ Querystring: z.output<typeof stateQuery> }>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function flagsText(s: StoryRow): SafeHtml {
  const f = s.flags;
  const items: SafeHtml[] = [];
  if (f.insults?.length) items.push(html`<li><strong>Propos injurieux possibles</strong> (lexique) : ${f.insults.join(', ')}</li>`);
  if (f.threats?.length) items.push(html`<li><strong>Menaces possibles</strong> (lexique) : ${f.threats.join(', ')}</li>`);
  if (f.duplicateOf)
    items.push(
      html`<li><strong>Doublon probable</strong> du témoignage n° ${f.duplicateOf} (similarité ${formatInteger(Math.round((f.similarity ?? 0) * 100))} %)</li>`,
    );
  if (f.masked)
    items.push(html`<li>${countOf(f.masked, 'donnée personnelle masquée', 'données personnelles masquées')} avant enregistrement</li>`);
  if (s.accessibility)
    items.push(
      html`<li>Concerne l’accessibilité${f.accessibilityWords?.length ? ` (mots : ${f.accessibilityWords.join(', ')})` : ' (coché par l’auteur)'}</li>`,
    );
  if (!s.consent)
    items.push(html`<li>L’auteur n’a pas accepté la publication : le témoignage ne sera visible que de l’administration.</li>`);
  return items.length ? html`<ul class="fr-text--sm">${items}</ul>` : html`<p class="fr-text--sm">Aucun signalement automatique.</p>`;
}

function storyFacts(s: StoryRow): SafeHtml {
  return html`<ul class="fr-text--sm">
  <li>Démarche : ${s.procedureTitle} (${s.administrationName})</li>
  <li>Reçu le ${formatDate(s.createdAt)}${s.publishedAt ? html` · publié le ${formatDate(s.publishedAt)}` : ''}${s.dueAt ? html` · réponse attendue avant le ${formatDate(s.dueAt)}` : ''}</li>
  <li>Ressenti : ${FEELING_LABELS[s.feeling].fr} · moyens : ${s.channels.map((c) => CHANNEL_SHORT[c]).join(', ')} · résolu selon l’auteur : ${s.solved ? 'oui' : 'non'}</li>
  <li>${s.hasEmail ? 'L’auteur a laissé une adresse : il sera prévenu des réponses (l’adresse reste privée).' : 'L’auteur n’a pas laissé d’adresse.'}</li>
</ul>`;
}

const bodyParagraphs = (text: string) =>
  html`${text
    .split(/\n+/)
    .filter((p) => p.trim())
    .map((p) => html`<p>${p}</p>`)}`;

export async function backofficeExperienceRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;
  // Ids of the URL, the notice's query and the forms' bodies by route schemas; the forms' fields checked below, their
  // messages beside the fields.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const storyParams = idParamsOr404('Page non trouvée', 'Ce témoignage n’existe pas.');
  const page = { querystring: stateQuery };
  const storyPageSchema = { params: storyParams, querystring: stateQuery };
  const storyForm = { params: storyParams, querystring: stateQuery, body: formBody({}) };
  const placePage = { params: idParams, querystring: stateQuery };
  const placeForm = { params: idParams, querystring: stateQuery, body: formBody({}) };
  const base = config.publicUrl.replace(/\/$/, '');

  // ——— The back-office home: stories to answer (overdue first), moderation, settings.
  app.get('/temoignages/gestion', { ...SIGNED_IN, schema: page }, async (request, reply) => {
    const user = request.user!;
    const scope = await moderationScope(db, user);
    const queue = moderatesNothing(scope) ? null : await moderationQueue(db, scope, 1);
    const stories = await storiesToManage(db, user);
    const now = new Date();
    const overdue = stories.filter((s) => isOverdue(s, now)).length;
    const { rows: admins } = await db.query(
      `SELECT a.id, a.name, a.ministry_id FROM administrations a WHERE a.archived_at IS NULL ORDER BY a.name`,
    );
    const managed = admins.filter((a) => canManageAdministration(user, Number(a.id), Number(a.ministry_id)));
    const { rows: mins } = await db.query(`SELECT id, name FROM ministries WHERE archived_at IS NULL ORDER BY name`);
    const referentOf = mins.filter((m) => canManageMinistry(user, Number(m.id)));
    return sendPage(request, reply, {
      title: 'Témoignages à traiter',
      breadcrumb: [{ label: 'Témoignages à traiter' }],
      notice: request.query.etat === 'enregistre' ? { type: 'success', text: 'La modification a été enregistrée.' } : null,
      content: html`<h1>Témoignages à traiter</h1>
${queue ? html`<p><a class="fr-link" href="/temoignages/moderation">File de modération</a> : ${countOf(queue.total, 'témoignage en attente', 'témoignages en attente')}</p>` : ''}
<h2>Témoignages publiés de vos démarches</h2>
<p>${countOf(stories.length, 'témoignage', 'témoignages')}${overdue ? html`, dont <strong>${countOf(overdue, 'en retard', 'en retard')}</strong> (sans réponse après le délai cible)` : ''}. Les témoignages en retard sont en tête.</p>
${
  stories.length
    ? html`<div class="fr-table"><div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content"><table>
<caption>Témoignages à traiter</caption>
<thead><tr><th scope="col">Témoignage</th><th scope="col">Démarche</th><th scope="col">État</th><th scope="col">Réponse attendue avant le</th></tr></thead>
<tbody>${stories.map(
        (
          s,
        ) => html`<tr><td><a href="/temoignages/gestion/${s.id}">n° ${s.id}</a>${s.accessibility ? ' (accessibilité)' : ''}</td><td>${s.procedureTitle}</td>
<td>${STATUS_LABELS[s.status]}${isOverdue(s, now) ? html` <p class="fr-badge fr-badge--sm fr-badge--error">En retard</p>` : ''}</td><td>${formatDate(s.dueAt)}</td></tr>`,
      )}</tbody>
</table></div></div></div></div>`
    : html`<p>Aucun témoignage publié sur vos démarches.</p>`
}
${managed.length ? html`<h2>Délais de réponse de vos administrations</h2><ul>${managed.map((a) => html`<li><a href="/temoignages/gestion/administrations/${a.id}">${a.name}</a></li>`)}</ul>` : ''}
${managed.length ? html`<h2>Modérateurs nommés par vos administrations</h2><ul>${managed.map((a) => html`<li><a href="/temoignages/moderateurs/administrations/${a.id}">${a.name}</a></li>`)}</ul>` : ''}
${referentOf.length ? html`<h2>Modérateurs nommés par vos ministères</h2><ul>${referentOf.map((m) => html`<li><a href="/temoignages/moderateurs/ministeres/${m.id}">${m.name}</a></li>`)}</ul>` : ''}
${isAdmin(user) ? html`<p><a class="fr-link" href="/temoignages/gestion/conservation">Conservation des adresses e-mail des auteurs</a></p>` : ''}
<p><a class="fr-link" href="/temoignages">Les témoignages publiés</a></p>`,
    });
  });

  // ——— Moderation: the steering team and the moderators a ministry named.
  function moderationPage(
    request: StateRequest,
    reply: FastifyReply,
    rows: StoryRow[],
    total: number,
    errors: Record<number, string> = {},
    status = 200,
  ) {
    return sendPage(
      request,
      reply,
      {
        title: 'File de modération des témoignages',
        breadcrumb: [{ label: 'Témoignages à traiter', href: '/temoignages/gestion' }, { label: 'Modération' }],
        notice: request.query.etat === 'modere' ? { type: 'success', text: 'La décision a été enregistrée.' } : null,
        content: html`<h1>File de modération des témoignages</h1>
<p>${countOf(total, 'témoignage en attente', 'témoignages en attente')}. Les témoignages signalés par le lexique ou comme doublons probables sont en tête. Les données personnelles ont déjà été masquées ; un refus est expliqué à l’auteur par e-mail quand il a laissé une adresse.</p>
${rows.map((s) => {
  const id = `decision-${s.id}`;
  const err = errors[s.id];
  return html`<section class="fr-mb-6w" aria-labelledby="titre-${s.id}">
  <h2 class="fr-h4" id="titre-${s.id}">Témoignage n° ${s.id}</h2>
  ${storyFacts(s)}
  ${flagsText(s)}
  <div class="fr-callout">${bodyParagraphs(s.body)}</div>
  <form method="post" action="/temoignages/moderation/${s.id}">
    ${csrfField(reply.generateCsrf())}
    ${err ? html`<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>${err}</p></div>` : ''}
    <fieldset class="fr-fieldset" id="${id}" aria-labelledby="${id}-legende">
      <legend class="fr-fieldset__legend" id="${id}-legende">Décision sur le témoignage n° ${s.id}</legend>
      <div class="fr-fieldset__element"><div class="fr-radio-group"><input type="radio" id="${id}-publier" name="decision" value="publier"><label class="fr-label" for="${id}-publier">Publier</label></div></div>
      <div class="fr-fieldset__element"><div class="fr-radio-group"><input type="radio" id="${id}-refuser" name="decision" value="refuser"><label class="fr-label" for="${id}-refuser">Refuser, pour le motif ci-dessous</label></div></div>
    </fieldset>
    <div class="fr-select-group">
      <label class="fr-label" for="${id}-motif">Motif du refus</label>
      <select class="fr-select" id="${id}-motif" name="motif"><option value="">Choisir un motif</option>${REFUSAL_REASONS.map((r) => html`<option value="${r}"${s.flags.duplicateOf && r === 'doublon' ? html` selected` : ''}>${REFUSAL_LABELS[r]}</option>`)}</select>
    </div>
    <button type="submit" class="fr-btn fr-btn--secondary">Enregistrer la décision<span class="fr-sr-only"> sur le témoignage n° ${s.id}</span></button>
  </form>
</section>`;
})}`,
      },
      status,
    );
  }

  app.get('/temoignages/moderation', { ...SIGNED_IN, schema: page }, async (request, reply) => {
    const scope = await moderationScope(db, request.user!);
    if (moderatesNothing(scope))
      return sendForbidden(
        request,
        reply,
        'Seuls l’équipe de pilotage et les modérateurs nommés par un ministère ou une administration modèrent les témoignages. Rien n’a été modifié.',
      );
    const { rows, total } = await moderationQueue(db, scope);
    return moderationPage(request, reply, rows, total);
  });

  app.post('/temoignages/moderation/:id', { ...SIGNED_IN, schema: storyForm }, async (request, reply) => {
    const user = request.user!;
    const s = await storyById(db, request.params.id);
    if (!s) return sendErrorPage(request, reply, 404, 'Page non trouvée', 'Ce témoignage n’existe pas.');
    const scope = await moderationScope(db, user);
    if (!moderates(scope, s))
      return sendForbidden(
        request,
        reply,
        'Vous ne modérez pas les témoignages de ce ministère ni de cette administration. Rien n’a été modifié.',
      );
    const body = request.body;
    const decision = str(body.decision);
    const reason = str(body.motif);
    const fail = async (message: string) => {
      const { rows, total } = await moderationQueue(db, scope);
      return moderationPage(request, reply, rows.some((r) => r.id === s.id) ? rows : [s, ...rows], total, { [s.id]: message }, 400);
    };
    if (decision !== 'publier' && decision !== 'refuser') return fail('Choisissez « Publier » ou « Refuser ». Rien n’a été enregistré.');
    if (decision === 'refuser' && !isOneOf(REFUSAL_REASONS, reason))
      return fail('Choisissez le motif du refus : il est expliqué à l’auteur. Rien n’a été enregistré.');
    try {
      await moderate(deps, s.id, decision === 'publier' ? { publish: true } : { publish: false, reason: reason as RefusalReason }, user);
    } catch (e) {
      if (e instanceof StoryStateError) return fail(e.message);
      throw e;
    }
    return redirectSeeOther(reply, '/temoignages/moderation?etat=modere');
  });

  // ——— One story, for the administration: answer, action engaged, solved or closed.
  async function storyPage(
    request: StateRequest,
    reply: FastifyReply,
    id: number,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
    status = 200,
  ) {
    const s = await storyById(db, id);
    if (!s) return sendErrorPage(request, reply, 404, 'Page non trouvée', 'Ce témoignage n’existe pas.');
    const [answers, events] = await Promise.all([answersOf(db, id), eventsOf(db, id)]);
    const open = s.status === 'published' || s.status === 'answered' || s.status === 'action_engaged';
    const csrf = reply.generateCsrf();
    const notice = request.query.etat === 'enregistre' ? { type: 'success' as const, text: 'La modification a été enregistrée.' } : null;
    return sendPage(
      request,
      reply,
      {
        title: `${Object.keys(errors).length ? 'Erreur – ' : ''}Témoignage n° ${s.id}`,
        breadcrumb: [{ label: 'Témoignages à traiter', href: '/temoignages/gestion' }, { label: `Témoignage n° ${s.id}` }],
        notice,
        content: html`<h1>Témoignage n° ${s.id}</h1>
${statusBadge(s.status)}${isOverdue(s) ? html` <p class="fr-badge fr-badge--sm fr-badge--error">En retard</p>` : ''}
${storyFacts(s)}
${flagsText(s)}
<div class="fr-callout">${bodyParagraphs(s.body)}</div>
${s.publishedAt && s.consent && s.status !== 'refused' ? html`<p><a class="fr-link" href="/temoignages/${s.id}">Page publique du témoignage</a></p>` : ''}
${s.refusalReason ? html`<p>Refusé par la modération : ${REFUSAL_LABELS[s.refusalReason]}.</p>` : ''}
<h2>Réponses publiées</h2>
${answers.length ? answers.map(answerBlock) : html`<p>Aucune réponse pour l’instant.</p>`}
${s.closeReason ? html`<p>Clos sans suite : ${s.closeReason}</p>` : ''}
${helpfulLine(s)}
${errorSummary(errors)}
${
  open
    ? html`<h2>Répondre publiquement</h2>
<p>La réponse est publiée avec le témoignage et signée du nom de l’administration (${s.administrationName}), jamais du vôtre. Vous pouvez répondre plusieurs fois.</p>
<form method="post" action="/temoignages/gestion/${s.id}/reponse">
  ${csrfField(csrf)}
  ${input({ name: 'reponse', label: 'Réponse', textarea: true, required: true, value: values.reponse, error: errors.reponse, hint: `${formatInteger(ANSWER_MAX)} caractères au maximum ; pas de donnée personnelle.` })}
  ${input({ name: 'lien_action', label: 'Lien vers l’action engagée (facultatif)', type: 'url', value: values.lien_action, error: errors.lien_action, hint: 'Par exemple le jalon de la feuille de route d’accessibilité ou la page d’une amélioration. Avec un lien, le témoignage passe à « Action engagée ».' })}
  <button type="submit" class="fr-btn">Publier la réponse</button>
</form>
<h2>Conclure</h2>
<form method="post" action="/temoignages/gestion/${s.id}/conclusion">
  ${csrfField(csrf)}
  <fieldset class="fr-fieldset${errors.issue ? ' fr-fieldset--error' : ''}" id="${fieldId('issue')}" aria-labelledby="${fieldId('issue')}-legende">
    <legend class="fr-fieldset__legend" id="${fieldId('issue')}-legende">Issue</legend>
    <div class="fr-fieldset__element"><div class="fr-radio-group"><input type="radio" id="issue-resolu" name="issue" value="resolu"${values.issue === 'resolu' ? html` checked` : ''}><label class="fr-label" for="issue-resolu">Résolu</label></div></div>
    <div class="fr-fieldset__element"><div class="fr-radio-group"><input type="radio" id="issue-clos" name="issue" value="clos"${values.issue === 'clos' ? html` checked` : ''}><label class="fr-label" for="issue-clos">Clos sans suite (motif public obligatoire)</label></div></div>
    ${errors.issue ? html`<div class="fr-messages-group"><p class="fr-message fr-message--error" id="${fieldId('issue')}-erreur">${errors.issue}</p></div>` : ''}
  </fieldset>
  ${input({ name: 'motif', label: 'Motif de la clôture sans suite', textarea: true, value: values.motif, error: errors.motif })}
  <button type="submit" class="fr-btn fr-btn--secondary">Conclure</button>
</form>`
    : html`<p>Ce témoignage n’attend plus de réponse.</p>`
}
<h2>Historique</h2>
${historyTable(events)}`,
      },
      status,
    );
  }

  app.get(
    '/temoignages/gestion/:id',
    { ...inScope('procedure', 'edit', 'id', 'experience'), schema: storyPageSchema },
    async (request, reply) => storyPage(request, reply, request.params.id),
  );

  app.post(
    '/temoignages/gestion/:id/reponse',
    { ...inScope('procedure', 'edit', 'id', 'experience'), schema: storyForm },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const answer = str(body.reponse).trim();
      const link = str(body.lien_action).trim();
      const errors: Record<string, string> = {};
      if (!answer) errors.reponse = 'Écrivez la réponse.';
      else if ([...answer].length > ANSWER_MAX) errors.reponse = `${formatInteger(ANSWER_MAX)} caractères au maximum.`;
      if (link) {
        let ok = false;
        try {
          const u = new URL(link);
          ok = (u.protocol === 'https:' || u.protocol === 'http:') && link.length <= 2000;
        } catch {
          /* not a URL */
        }
        if (!ok) errors.lien_action = 'Saisissez une adresse web complète, commençant par https://, ou laissez le champ vide.';
      }
      if (Object.keys(errors).length) return storyPage(request, reply, id, errors, { reponse: str(body.reponse), lien_action: link }, 400);
      try {
        await answerStory(deps, id, { body: answer, actionUrl: link || null }, request.user!, `${base}/temoignages/${id}`);
      } catch (e) {
        if (e instanceof StoryStateError)
          return storyPage(request, reply, id, { reponse: e.message }, { reponse: answer, lien_action: link }, 409);
        throw e;
      }
      return redirectSeeOther(reply, `/temoignages/gestion/${id}?etat=enregistre`);
    },
  );

  app.post(
    '/temoignages/gestion/:id/conclusion',
    { ...inScope('procedure', 'edit', 'id', 'experience'), schema: storyForm },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const issue = str(body.issue);
      const reason = str(body.motif).trim();
      const errors: Record<string, string> = {};
      if (issue !== 'resolu' && issue !== 'clos') errors.issue = 'Choisissez « Résolu » ou « Clos sans suite ».';
      if (issue === 'clos' && !reason) errors.motif = 'Indiquez pourquoi le témoignage est clos sans suite : le motif est public.';
      if (reason.length > REASON_MAX) errors.motif = `${formatInteger(REASON_MAX)} caractères au maximum.`;
      if (Object.keys(errors).length) return storyPage(request, reply, id, errors, { issue, motif: str(body.motif) }, 400);
      try {
        await concludeStory(db, id, issue === 'resolu' ? { solved: true } : { solved: false, reason }, request.user!);
      } catch (e) {
        if (e instanceof StoryStateError) return storyPage(request, reply, id, { issue: e.message }, { issue, motif: reason }, 409);
        throw e;
      }
      return redirectSeeOther(reply, `/temoignages/gestion/${id}?etat=enregistre`);
    },
  );

  // ——— Retention of the authors' e-mail addresses (the steering team's setting).
  async function retentionPage(
    request: StateRequest,
    reply: FastifyReply,
    error: string | null = null,
    value: string | null = null,
    status = 200,
  ) {
    const days = await emailRetentionDays(db);
    return sendPage(
      request,
      reply,
      {
        title: `${error ? 'Erreur – ' : ''}Conservation des adresses e-mail des auteurs`,
        breadcrumb: [{ label: 'Témoignages à traiter', href: '/temoignages/gestion' }, { label: 'Conservation des adresses e-mail' }],
        notice: request.query.etat === 'enregistre' ? { type: 'success', text: 'La durée de conservation a été enregistrée.' } : null,
        content: html`<h1>Conservation des adresses e-mail des auteurs</h1>
<p>L’adresse qu’un auteur laisse sert seulement à le prévenir (refus, réponses, question sur l’utilité de la réponse). Elle est effacée chaque nuit quand le témoignage est clos (résolu, clos sans suite ou refusé) depuis plus de la durée ci-dessous. L’effacement est inscrit au journal.</p>
<p>Durée actuelle : <strong>${countOf(days, 'jour', 'jours')}</strong> après la clôture.</p>
${errorSummary(error ? { jours: error } : {})}
<form method="post" action="/temoignages/gestion/conservation">
  ${csrfField(reply.generateCsrf())}
  ${input({ name: 'jours', label: 'Durée de conservation après la clôture, en jours', type: 'number', required: true, value: value ?? days, error: error ?? undefined, hint: `De ${RETENTION_MIN_DAYS} à ${formatInteger(RETENTION_MAX_DAYS)} jours.`, attrs: html` min="${RETENTION_MIN_DAYS}" max="${RETENTION_MAX_DAYS}"` })}
  <button type="submit" class="fr-btn">Enregistrer la durée</button>
</form>`,
      },
      status,
    );
  }

  app.get('/temoignages/gestion/conservation', { ...STEERING, schema: page }, async (request, reply) => retentionPage(request, reply));

  app.post(
    '/temoignages/gestion/conservation',
    { ...STEERING, schema: { querystring: stateQuery, body: formBody({}) } },
    async (request, reply) => {
      const raw = str(request.body.jours).trim();
      const days = /^\d{1,4}$/.test(raw) ? Number(raw) : null;
      if (days === null || days < RETENTION_MIN_DAYS || days > RETENTION_MAX_DAYS) {
        return retentionPage(
          request,
          reply,
          `Saisissez un nombre de jours entre ${RETENTION_MIN_DAYS} et ${formatInteger(RETENTION_MAX_DAYS)}. Rien n’a été enregistré.`,
          raw,
          400,
        );
      }
      await setEmailRetentionDays(db, days, request.user!);
      return redirectSeeOther(reply, '/temoignages/gestion/conservation?etat=enregistre');
    },
  );

  // ——— An administration's delays and figures.
  async function delaysPage(
    request: StateRequest,
    reply: FastifyReply,
    administrationId: number,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
    status = 200,
  ) {
    const { rows } = await db.query(`SELECT id, name FROM administrations WHERE id = $1`, [administrationId]);
    const a = rows[0];
    const delays = await delaysOf(db, administrationId);
    const figures = await delayFigures(db, { administrationId });
    return sendPage(
      request,
      reply,
      {
        title: `${Object.keys(errors).length ? 'Erreur – ' : ''}Délais de réponse – ${a.name}`,
        breadcrumb: [{ label: 'Témoignages à traiter', href: '/temoignages/gestion' }, { label: `Délais de réponse – ${a.name}` }],
        notice: request.query.etat === 'enregistre' ? { type: 'success', text: 'Les délais ont été enregistrés.' } : null,
        content: html`<h1>Délais de réponse : ${a.name}</h1>
${figuresTable(figures, `Délais de réponse de ${a.name}`)}
<h2>Délais cibles</h2>
<p>${delays.own ? 'Délais fixés par l’administration.' : `Délais par défaut : ${DEFAULT_DELAYS.targetDays} jours, ${DEFAULT_DELAYS.accessibilityDays} jours pour l’accessibilité.`} Un changement vaut pour les témoignages publiés ensuite.</p>
${errorSummary(errors)}
<form method="post" action="/temoignages/gestion/administrations/${administrationId}/delais">
  ${csrfField(reply.generateCsrf())}
  ${input({ name: 'delai', label: 'Délai cible de réponse, en jours', type: 'number', required: true, value: values.delai ?? delays.targetDays, error: errors.delai, hint: 'De 1 à 90 jours.', attrs: html` min="1" max="90"` })}
  ${input({ name: 'delai_accessibilite', label: 'Délai cible pour les témoignages sur l’accessibilité, en jours', type: 'number', required: true, value: values.delai_accessibilite ?? delays.accessibilityDays, error: errors.delai_accessibilite, hint: 'De 1 à 90 jours, au plus le délai cible.', attrs: html` min="1" max="90"` })}
  <button type="submit" class="fr-btn">Enregistrer les délais</button>
</form>
<p class="fr-mt-4w"><a class="fr-link" href="/temoignages/administrations/${administrationId}">Page publique des témoignages de ${a.name}</a></p>`,
      },
      status,
    );
  }

  app.get(
    '/temoignages/gestion/administrations/:id',
    { ...inScope('administration', 'edit', 'id'), schema: placePage },
    async (request, reply) => delaysPage(request, reply, request.params.id),
  );

  app.post(
    '/temoignages/gestion/administrations/:id/delais',
    { ...inScope('administration', 'edit', 'id'), schema: placeForm },
    async (request, reply) => {
      const administrationId = request.params.id;
      const body = request.body;
      const raw = { delai: str(body.delai).trim(), delai_accessibilite: str(body.delai_accessibilite).trim() };
      const n = (v: string) => (/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 90 ? Number(v) : null);
      const target = n(raw.delai);
      const a11y = n(raw.delai_accessibilite);
      const errors: Record<string, string> = {};
      if (target === null) errors.delai = 'Saisissez un nombre de jours entre 1 et 90.';
      if (a11y === null) errors.delai_accessibilite = 'Saisissez un nombre de jours entre 1 et 90.';
      else if (target !== null && a11y > target)
        errors.delai_accessibilite = 'Le délai pour l’accessibilité ne peut pas dépasser le délai cible.';
      if (Object.keys(errors).length) return delaysPage(request, reply, administrationId, errors, raw, 400);
      await db.transaction(async (tx) => {
        const before = await delaysOf(tx, administrationId);
        await tx.query(
          `INSERT INTO experience_delays (administration_id, target_days, accessibility_days) VALUES ($1, $2, $3)
         ON CONFLICT (administration_id) DO UPDATE SET target_days = EXCLUDED.target_days, accessibility_days = EXCLUDED.accessibility_days, updated_at = now()`,
          [administrationId, target, a11y],
        );
        await audit(tx, {
          actor: request.user!,
          action: 'experience.delays.update',
          entityType: 'experience_delays',
          entityId: administrationId,
          before: { target_days: before.targetDays, accessibility_days: before.accessibilityDays },
          after: { target_days: target, accessibility_days: a11y },
        });
      });
      return redirectSeeOther(reply, `/temoignages/gestion/administrations/${administrationId}?etat=enregistre`);
    },
  );

  // ——— Moderators a ministry names.
  async function userIdByEmail(email: string): Promise<number | null> {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL', [email]);
    return rows[0] ? Number(rows[0].id) : null;
  }

  // A ministry's or an administration's named moderators: the same page and actions, their own table and scope.
  const KINDS = {
    ministry: { segment: 'ministeres', table: 'experience_moderators', column: 'ministry_id', places: 'ministries', what: 'du ministère' },
    administration: {
      segment: 'administrations',
      table: 'experience_administration_moderators',
      column: 'administration_id',
      places: 'administrations',
      what: 'de l’administration',
    },
  } as const;
  type Kind = keyof typeof KINDS;

  async function moderatorsPage(
    request: StateRequest,
    reply: FastifyReply,
    kind: Kind,
    placeId: number,
    errors: Record<string, string> = {},
    email = '',
    status = 200,
  ) {
    const k = KINDS[kind];
    const { rows: m } = await db.query(`SELECT name FROM ${k.places} WHERE id = $1`, [placeId]);
    const { rows } = await db.query(
      `SELECT u.id, u.email, u.display_name, x.created_at FROM ${k.table} x JOIN users u ON u.id = x.user_id WHERE x.${k.column} = $1 ORDER BY u.email`,
      [placeId],
    );
    const csrf = reply.generateCsrf();
    const base = `/temoignages/moderateurs/${k.segment}/${placeId}`;
    return sendPage(
      request,
      reply,
      {
        title: `${Object.keys(errors).length ? 'Erreur – ' : ''}Modérateurs des témoignages – ${m[0].name}`,
        breadcrumb: [{ label: 'Témoignages à traiter', href: '/temoignages/gestion' }, { label: `Modérateurs – ${m[0].name}` }],
        notice: request.query.etat === 'enregistre' ? { type: 'success', text: 'La liste des modérateurs a été enregistrée.' } : null,
        content: html`<h1>Modérateurs des témoignages : ${m[0].name}</h1>
<p>Les modérateurs relisent les témoignages des démarches ${k.what} avant publication (avec l’équipe de pilotage${kind === 'administration' ? ' et les modérateurs nommés par le ministère' : ''}).</p>
${
  rows.length
    ? html`<ul>${rows.map(
        (r) => html`<li>${r.display_name || r.email} (${r.email}), depuis le ${formatDate(r.created_at)}
  <form method="post" action="${base}/retirer" class="vigie-inline-form">${csrfField(csrf)}<input type="hidden" name="utilisateur" value="${r.id}"><button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">Retirer<span class="fr-sr-only"> ${r.email}</span></button></form></li>`,
      )}</ul>`
    : html`<p>Aucun modérateur nommé.</p>`
}
${errorSummary(errors)}
<form method="post" action="${base}/ajouter">
  ${csrfField(csrf)}
  ${input({ name: 'email', label: 'Adresse e-mail du compte Vigie à nommer', type: 'email', required: true, value: email, error: errors.email, autocomplete: 'off' })}
  <button type="submit" class="fr-btn">Nommer modérateur</button>
</form>`,
      },
      status,
    );
  }

  for (const kind of ['ministry', 'administration'] as const) {
    const k = KINDS[kind];
    const path = `/temoignages/moderateurs/${k.segment}/:id`;
    app.get(path, { ...inScope(kind, 'edit', 'id'), schema: placePage }, async (request, reply) =>
      moderatorsPage(request, reply, kind, request.params.id),
    );

    app.post(`${path}/ajouter`, { ...inScope(kind, 'edit', 'id'), schema: placeForm }, async (request, reply) => {
      const placeId = request.params.id;
      const email = str(request.body.email).trim();
      const userId = email && email.length <= 254 ? await userIdByEmail(email) : null;
      if (!userId)
        return moderatorsPage(
          request,
          reply,
          kind,
          placeId,
          { email: 'Aucun compte Vigie n’a cette adresse : invitez d’abord la personne.' },
          email,
          400,
        );
      await db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `INSERT INTO ${k.table} (${k.column}, user_id, named_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [placeId, userId, request.user!.id],
        );
        if (rowCount)
          await audit(tx, {
            actor: request.user!,
            action: 'experience.moderator.add',
            entityType: k.table,
            entityId: placeId,
            after: { user_id: userId },
          });
      });
      return redirectSeeOther(reply, `/temoignages/moderateurs/${k.segment}/${placeId}?etat=enregistre`);
    });

    app.post(`${path}/retirer`, { ...inScope(kind, 'edit', 'id'), schema: placeForm }, async (request, reply) => {
      const placeId = request.params.id;
      const userId = parseId(request.body.utilisateur);
      if (!userId)
        return moderatorsPage(request, reply, kind, placeId, { email: 'Personne à retirer inconnue : rien n’a été modifié.' }, '', 400);
      await db.transaction(async (tx) => {
        const { rowCount } = await tx.query(`DELETE FROM ${k.table} WHERE ${k.column} = $1 AND user_id = $2`, [placeId, userId]);
        if (rowCount)
          await audit(tx, {
            actor: request.user!,
            action: 'experience.moderator.remove',
            entityType: k.table,
            entityId: placeId,
            before: { user_id: userId },
          });
      });
      return redirectSeeOther(reply, `/temoignages/moderateurs/${k.segment}/${placeId}?etat=enregistre`);
    });
  }
}
