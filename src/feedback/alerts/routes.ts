import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import type { Jobs } from '../../kernel/jobs/jobs.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { csrfField } from '../../kernel/web/forms.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { formOf } from '../backoffice/access.ts';
import { ALERTS_QUEUE, alertMinimumReviews, runAlerts } from './run.ts';
import { inScope } from '../../kernel/web/access.ts';
import { formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { idParams } from '../../kernel/web/ids.ts';

export interface AlertSettings {
  newReviews: boolean;
  satisfactionBelow: number | null;
  digest: 'none' | 'daily' | 'weekly' | 'monthly';
  /** Reviews the 30-day window needs before a satisfaction alert is sent (a setting). */
  minReviews?: number;
}

const DIGESTS = { none: 'Aucun', daily: 'Quotidien', weekly: 'Hebdomadaire', monthly: 'Mensuel' } as const;

export function alertsForm(formId: number, s: AlertSettings, csrf: string, error?: string): SafeHtml {
  return html`<h2 id="alertes">Mes alertes et récapitulatifs par e-mail</h2>
<form method="post" action="/avis/formulaires/${formId}/alertes" novalidate>${csrfField(csrf)}
  <div class="fr-checkbox-group fr-mb-2w"><input type="checkbox" id="champ-new_reviews" name="new_reviews" value="oui"${s.newReviews ? html` checked` : ''}>
    <label class="fr-label" for="champ-new_reviews">Nouveaux avis (un e-mail par heure au plus)</label></div>
  <div class="fr-input-group${error ? ' fr-input-group--error' : ''}"><label class="fr-label" for="champ-satisfaction_below">Alerte si la satisfaction des 30 derniers jours passe sous (sur 10)<span class="fr-hint-text" id="champ-satisfaction_below-aide">Laisser vide pour ne pas être alerté. Par exemple : 5.${s.minReviews ? ` L’alerte n’est envoyée qu’à partir de ${s.minReviews} avis sur ces 30 jours.` : ''}</span></label>
    <input class="fr-input" type="text" inputmode="decimal" id="champ-satisfaction_below" name="satisfaction_below" value="${s.satisfactionBelow === null ? '' : String(s.satisfactionBelow).replace('.', ',')}" aria-describedby="champ-satisfaction_below-aide${error ? ' champ-satisfaction_below-erreur' : ''}"${error ? html` aria-invalid="true"` : ''}>
    ${error ? html`<p class="fr-error-text" id="champ-satisfaction_below-erreur">${error}</p>` : ''}</div>
  <div class="fr-select-group"><label class="fr-label" for="champ-digest">Récapitulatif</label>
    <select class="fr-select" id="champ-digest" name="digest">${Object.entries(DIGESTS).map(([v, l]) => html`<option value="${v}"${v === s.digest ? html` selected` : ''}>${l}</option>`)}</select></div>
  <button type="submit" class="fr-btn fr-btn--secondary">Enregistrer mes alertes</button>
</form>`;
}

export async function loadAlertSettings(deps: AppDeps, userId: number, formId: number): Promise<AlertSettings> {
  const { rows } = await deps.db.query(
    'SELECT new_reviews, satisfaction_below, digest FROM feedback_alerts WHERE user_id = $1 AND form_id = $2',
    [userId, formId],
  );
  const r = rows[0];
  const minReviews = await alertMinimumReviews(deps.db);
  return r
    ? {
        newReviews: r.new_reviews,
        satisfactionBelow: r.satisfaction_below === null ? null : Number(r.satisfaction_below),
        digest: r.digest,
        minReviews,
      }
    : { newReviews: false, satisfactionBelow: null, digest: 'none', minReviews };
}

/** The alerts and digests, every quarter of an hour. */
export async function registerAlertsJob(deps: AppDeps, jobs: Jobs): Promise<void> {
  await jobs.work(ALERTS_QUEUE, async () => {
    await runAlerts(deps);
  });
  await jobs.schedule(ALERTS_QUEUE, '*/15 * * * *');
}

export async function alertRoutes(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  // The alerts form's body by a route schema (formBody); its two fields checked below.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  app.post(
    '/avis/formulaires/:id/alertes',
    { ...inScope('procedure', 'read', 'id', 'form'), schema: { params: idParams, body: formBody({}) } },
    async (request, reply) => {
      const ctx = await formOf(db, request, reply, request.params.id);
      if (!ctx) return reply;
      const body = request.body;
      const raw = typeof body.satisfaction_below === 'string' ? body.satisfaction_below.trim().replace(',', '.') : '';
      const below = raw === '' ? null : Number(raw);
      const digest =
        typeof body.digest === 'string' && Object.hasOwn(DIGESTS, body.digest) ? (body.digest as AlertSettings['digest']) : 'none';
      const settings: AlertSettings = { newReviews: body.new_reviews === 'oui', satisfactionBelow: below, digest };
      if (below !== null && !(Number.isFinite(below) && below >= 0 && below <= 10)) {
        return sendPage(
          request,
          reply,
          {
            title: 'Mes alertes',
            breadcrumb: [
              { label: 'Avis usagers', href: '/avis' },
              { label: ctx.form.name, href: `/avis/formulaires/${ctx.form.id}` },
              { label: 'Mes alertes' },
            ],
            content: alertsForm(
              ctx.form.id,
              { ...settings, satisfactionBelow: null },
              reply.generateCsrf(),
              'Saisissez une note entre 0 et 10, par exemple 5 ou 6,5.',
            ),
          },
          400,
        );
      }
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO feedback_alerts (user_id, form_id, new_reviews, satisfaction_below, digest, last_review_id)
         VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(id), 0) FROM feedback_reviews WHERE form_id = $2))
         ON CONFLICT (user_id, form_id) DO UPDATE SET new_reviews = $3, satisfaction_below = $4, digest = $5`,
          [ctx.user.id, ctx.form.id, settings.newReviews, below, digest],
        );
        await audit(tx, {
          actor: ctx.user,
          action: 'feedback.alerts.update',
          entityType: 'feedback_form',
          entityId: ctx.form.id,
          after: settings,
          ipHash: request.ipHash,
        });
      });
      return redirectSeeOther(reply, `/avis/formulaires/${ctx.form.id}#alertes`);
    },
  );
}
