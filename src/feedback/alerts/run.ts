import type { AppDeps } from '../../kernel/web/deps.ts';
import { digestSectionsText } from './digest-sections.ts';
import { queueMail } from '../../kernel/mail/queue.ts';
import { indicatorsBy } from '../analytics/indicators.ts';
import { todayInParis } from '../backoffice/window.ts';

export const ALERTS_QUEUE = 'feedback.alerts';
/** New-review alerts are debounced: at most one mail an hour per user and form. */
const NEW_REVIEWS_EVERY_MS = 60 * 60 * 1000;
const DIGEST_DAYS = { daily: 1, weekly: 7, monthly: 30 } as const;
const one = (v: number) => v.toFixed(1).replace('.', ',');

/** Reviews a satisfaction alert needs in its window (`app_settings.feedback_alert_min_reviews`, 10 by default). */
export async function alertMinimumReviews(db: AppDeps['db']): Promise<number> {
  const { rows } = await db.query(`SELECT value FROM app_settings WHERE key = 'feedback_alert_min_reviews'`);
  const v = Number(rows[0]?.value);
  return Number.isInteger(v) && v >= 1 ? v : 10;
}

/**
 * Sends the alerts and digests that are due: new reviews (debounced), satisfaction of the last 30 days below the
 * chosen mark (once a day at most), and the daily, weekly or monthly digest. Run every 15 minutes by a job.
 */
export async function runAlerts(deps: AppDeps, now = new Date()): Promise<number> {
  const { db, config } = deps;
  const { rows } = await db.query(
    `SELECT s.*, u.email, f.name AS form_name, f.procedure_id, p.title AS procedure_title,
            (SELECT count(*) FROM feedback_reviews r WHERE r.form_id = s.form_id AND r.deleted_at IS NULL AND r.id > s.last_review_id)::int AS fresh,
            (SELECT coalesce(max(id), 0) FROM feedback_reviews r WHERE r.form_id = s.form_id) AS max_review_id
       FROM feedback_alerts s JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL
       JOIN feedback_forms f ON f.id = s.form_id AND f.deleted_at IS NULL JOIN procedures p ON p.id = f.procedure_id
      WHERE s.new_reviews OR s.satisfaction_below IS NOT NULL OR s.digest <> 'none'`,
  );
  let sent = 0;
  const minimum = await alertMinimumReviews(db);
  const end = todayInParis(now);
  const daysBefore = (n: number) => new Date(Date.parse(`${end}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  for (const s of rows) {
    const link = `${config.publicUrl}/avis/formulaires/${s.form_id}/reponses`;
    if (s.new_reviews && s.fresh > 0 && now.getTime() - new Date(s.new_reviews_sent_at).getTime() >= NEW_REVIEWS_EVERY_MS) {
      await queueMail(deps, {
        to: s.email,
        subject: `${s.fresh} nouvel${s.fresh > 1 ? 's' : ''} avis : ${s.procedure_title}`,
        text: `Bonjour,\n\n${s.fresh} nouvel${s.fresh > 1 ? 's' : ''} avis sur le formulaire « ${s.form_name} » (${s.procedure_title}).\n${link}\n`,
      });
      await db.query('UPDATE feedback_alerts SET new_reviews_sent_at = $3, last_review_id = $4 WHERE user_id = $1 AND form_id = $2', [
        s.user_id,
        s.form_id,
        now,
        s.max_review_id,
      ]);
      sent++;
    }
    if (
      s.satisfaction_below !== null &&
      (!s.satisfaction_sent_at || now.getTime() - new Date(s.satisfaction_sent_at).getTime() >= 86_400_000)
    ) {
      const ind = (await indicatorsBy(db, 'form', [Number(s.form_id)], { start: daysBefore(29), end })).get(Number(s.form_id))!;
      // Too few reviews say nothing about a trend: no alert under the minimum (one review at 0 / 10 used to raise one).
      if (ind.satisfaction !== null && ind.reviews >= minimum && ind.satisfaction < Number(s.satisfaction_below)) {
        await queueMail(deps, {
          to: s.email,
          subject: `Satisfaction en baisse : ${s.procedure_title}`,
          text: `Bonjour,\n\nSur les 30 derniers jours, la satisfaction du formulaire « ${s.form_name} » est de ${one(ind.satisfaction)} / 10 sur ${ind.reviews} avis (une alerte demande au moins ${minimum} avis sur la période), sous le seuil de ${one(Number(s.satisfaction_below))} que vous avez choisi.\n${config.publicUrl}/avis/demarches/${s.procedure_id}\n`,
        });
        await db.query('UPDATE feedback_alerts SET satisfaction_sent_at = $3 WHERE user_id = $1 AND form_id = $2', [
          s.user_id,
          s.form_id,
          now,
        ]);
        sent++;
      }
    }
    const period = DIGEST_DAYS[s.digest as keyof typeof DIGEST_DAYS];
    if (period && now.getTime() - new Date(s.digest_sent_at).getTime() >= period * 86_400_000) {
      const ind = (await indicatorsBy(db, 'form', [Number(s.form_id)], { start: daysBefore(period), end: daysBefore(1) })).get(
        Number(s.form_id),
      )!;
      await queueMail(deps, {
        to: s.email,
        subject: `Récapitulatif des avis : ${s.procedure_title}`,
        text:
          `Bonjour,\n\nDu ${daysBefore(period)} au ${daysBefore(1)}, le formulaire « ${s.form_name} » a reçu ${ind.reviews} avis dont ${ind.verbatims} avec commentaire.` +
          (ind.satisfaction !== null ? ` Satisfaction : ${one(ind.satisfaction)} / 10.` : '') +
          `\n${link}\n` +
          (await digestSectionsText(db, Number(s.procedure_id), end, config.publicUrl)),
      });
      await db.query('UPDATE feedback_alerts SET digest_sent_at = $3 WHERE user_id = $1 AND form_id = $2', [s.user_id, s.form_id, now]);
      sent++;
    }
  }
  return sent;
}
