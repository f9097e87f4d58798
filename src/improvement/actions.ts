/**
 * A défi's actions, written by the steering team (back-office) and by the défi's team (`/defis/equipe/:id`): one form,
 * one check, one write, each change in the audit journal.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../kernel/db/db.ts';
import { html, type SafeHtml } from '../kernel/web/html.ts';
import { csrfField, input, select, type FieldErrors } from '../kernel/web/forms.ts';
import { parseId } from '../kernel/web/ids.ts';
import { formatDate } from '../kernel/web/format.ts';
import { audit } from '../kernel/audit/audit.ts';
import { ACTION_STATUS_LABELS, ACTION_STATUSES, MOTIVE_KINDS, MOTIVE_LABELS, type Action } from './queries.ts';

/** The forms « change an action's status » and « add an action », posting to `${base}/actions…`. */
export function actionForms(
  base: string,
  token: string,
  actions: Action[],
  errors: FieldErrors = {},
  values: Record<string, string> = {},
): SafeHtml {
  return html`${
    actions.length
      ? html`<form method="post" action="${base}/actions/statut" class="fr-mb-4w">
  ${csrfField(token)}
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Changer le statut d’une action</legend>
    <div class="fr-fieldset__element">${select({ name: 'actionId', label: 'Action', options: actions.map((a) => ({ value: String(a.id), label: `${formatDate(a.date)} – ${a.title}` })), required: true, error: errors.actionId })}</div>
    <div class="fr-fieldset__element">${select({ name: 'status', label: 'Nouveau statut', options: ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] })), required: true })}</div>
    <div class="fr-fieldset__element"><button type="submit" class="fr-btn fr-btn--secondary">Changer le statut</button></div>
  </fieldset>
</form>`
      : ''
  }
<form method="post" action="${base}/actions">
  ${csrfField(token)}
  <fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Ajouter une action</legend>
    <div class="fr-fieldset__element">${input({ name: 'title', label: 'Action', required: true, value: values.title, error: errors.title })}</div>
    <div class="fr-fieldset__element">${input({ name: 'date', label: 'Date', type: 'date', required: true, value: values.date, error: errors.date })}</div>
    <div class="fr-fieldset__element">${input({ name: 'owner', label: 'Responsable', value: values.owner, error: errors.owner })}</div>
    <div class="fr-fieldset__element">${select({ name: 'motiveKind', label: 'Ce qui l’a motivée', options: [{ value: '', label: 'Rien de particulier' }, ...MOTIVE_KINDS.map((k) => ({ value: k, label: MOTIVE_LABELS[k] }))], value: values.motiveKind, error: errors.motiveKind })}</div>
    <div class="fr-fieldset__element">${input({ name: 'motiveRef', label: 'Lien ou référence du motif', value: values.motiveRef, error: errors.motiveRef, hint: 'Adresse d’un verbatim, d’une expérience, d’une non-conformité d’audit, ou une référence' })}</div>
    <div class="fr-fieldset__element">${input({ name: 'milestoneUrl', label: 'Jalon de la feuille de route (adresse)', type: 'url', value: values.milestoneUrl, error: errors.milestoneUrl })}</div>
    <div class="fr-fieldset__element"><button type="submit" class="fr-btn">Ajouter l’action</button></div>
  </fieldset>
</form>`;
}

export type ActionOutcome = { ok: true } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Checks and writes a new action of défi `challengeId` from its form (`formTexts`; journal: challenge.action.create). */
export async function addAction(
  db: Db,
  request: FastifyRequest,
  body: Record<string, string>,
  challengeId: number,
): Promise<ActionOutcome> {
  const v = (k: string) => (body[k] ?? '').trim();
  const values = {
    title: v('title'),
    date: v('date'),
    owner: v('owner'),
    motiveKind: v('motiveKind'),
    motiveRef: v('motiveRef'),
    milestoneUrl: v('milestoneUrl'),
  };
  const errors: FieldErrors = {};
  if (!values.title || values.title.length > 300) errors.title = 'L’action : un texte de 1 à 300 caractères.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(Date.parse(`${values.date}T00:00:00Z`)))
    errors.date = 'La date : au format AAAA-MM-JJ.';
  if (values.owner.length > 200) errors.owner = 'Le responsable : 200 caractères au plus.';
  if (values.motiveKind && !(MOTIVE_KINDS as readonly string[]).includes(values.motiveKind))
    errors.motiveKind = 'Choisissez un motif de la liste.';
  if (values.motiveRef.length > 500) errors.motiveRef = 'La référence : 500 caractères au plus.';
  if (values.milestoneUrl && (!/^https?:\/\/\S+$/i.test(values.milestoneUrl) || values.milestoneUrl.length > 500))
    errors.milestoneUrl = 'Le jalon : une adresse commençant par http:// ou https://.';
  if (Object.keys(errors).length) return { ok: false, errors, values };
  await db.transaction(async (tx) => {
    const { rows } = await tx.query(
      `INSERT INTO challenge_actions (challenge_id, title, action_date, owner, motive_kind, motive_ref, milestone_url) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [challengeId, values.title, values.date, values.owner, values.motiveKind || null, values.motiveRef, values.milestoneUrl],
    );
    await audit(tx, {
      actor: request.user,
      action: 'challenge.action.create',
      entityType: 'challenge',
      entityId: challengeId,
      after: { actionId: Number(rows[0].id), ...values },
      ipHash: request.ipHash,
    });
  });
  return { ok: true };
}

/** Checks and writes an action's new status (only an action of this défi; journal: challenge.action.update). */
export async function changeActionStatus(
  db: Db,
  request: FastifyRequest,
  body: Record<string, string>,
  challengeId: number,
): Promise<ActionOutcome> {
  const actionId = parseId(body.actionId ?? '');
  const status = body.status ?? '';
  if (actionId === null || !(ACTION_STATUSES as readonly string[]).includes(status))
    return { ok: false, errors: { actionId: 'Choisissez une action et un statut de la liste.' }, values: {} };
  const done = await db.transaction(async (tx) => {
    const { rows } = await tx.query('UPDATE challenge_actions SET status = $3 WHERE id = $1 AND challenge_id = $2 RETURNING id', [
      actionId,
      challengeId,
      status,
    ]);
    if (!rows[0]) return false;
    await audit(tx, {
      actor: request.user,
      action: 'challenge.action.update',
      entityType: 'challenge',
      entityId: challengeId,
      after: { actionId, status },
      ipHash: request.ipHash,
    });
    return true;
  });
  return done ? { ok: true } : { ok: false, errors: { actionId: 'Cette action n’appartient pas à ce défi.' }, values: {} };
}
