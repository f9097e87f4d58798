import type { Queryable } from '../kernel/db/db.ts';
import type { Mailer, MailMessage } from '../kernel/mail/mailer.ts';
import { formatLongDateTime } from '../kernel/web/format.ts';
import type { IncidentEvent } from './engine.ts';
import { ERROR_LABELS, type ErrorClass } from './probe.ts';

const SIGNATURE = '\n\n— Vigie, qualité des démarches en ligne\nCe message est automatique : merci de ne pas y répondre.';

export function causeLabel(cause: string): string {
  return Object.hasOwn(ERROR_LABELS, cause) ? ERROR_LABELS[cause as ErrorClass] : cause;
}

/** « 3 h 05 min », « 12 min », « 45 s ». */
export function durationLabel(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} j ${hours % 24} h`;
}

export function incidentMail(to: string, title: string, event: IncidentEvent, statusUrl: string): MailMessage {
  if (event.kind === 'opened') {
    return {
      to,
      subject: `Incident ouvert : ${title}`,
      text:
        `Bonjour,\n\nLa page ${event.url} de la démarche « ${title} » ne répond pas correctement depuis le ${formatLongDateTime(event.startedAt)}.\n` +
        `Cause : ${causeLabel(event.cause)}.\n\nPage de disponibilité publique : ${statusUrl}` +
        SIGNATURE,
    };
  }
  return {
    to,
    subject: `Incident clos : ${title}`,
    text:
      `Bonjour,\n\nLa page ${event.url} de la démarche « ${title} » répond de nouveau correctement depuis le ${formatLongDateTime(event.endedAt!)}.\n` +
      `Durée de l’incident : ${durationLabel(event.endedAt!.getTime() - event.startedAt.getTime())}. Cause : ${causeLabel(event.cause)}.\n\n` +
      `Page de disponibilité publique : ${statusUrl}` +
      SIGNATURE,
  };
}

export function certificateMail(to: string, title: string, url: string, expiresAt: Date): MailMessage {
  return {
    to,
    subject: `Certificat bientôt expiré : ${title}`,
    text:
      `Bonjour,\n\nLe certificat TLS de ${url} (démarche « ${title} ») expire le ${formatLongDateTime(expiresAt)}.\n` +
      `Après cette date, les navigateurs des usagers afficheront une alerte de sécurité : renouvelez-le avant.` +
      SIGNATURE,
  };
}

/** The procedure's team: its editors (users not disabled). */
export async function teamOf(db: Queryable, procedureId: number): Promise<{ emails: string[]; title: string; stableId: string }> {
  const { rows } = await db.query(
    `SELECT p.title, p.stable_id, array_remove(array_agg(DISTINCT u.email), NULL) AS emails
       FROM procedures p
       LEFT JOIN grants g ON g.procedure_id = p.id AND g.role = 'procedure_editor'
       LEFT JOIN users u ON u.id = g.user_id AND u.disabled_at IS NULL
      WHERE p.id = $1 GROUP BY p.id`,
    [procedureId],
  );
  return { emails: rows[0]?.emails ?? [], title: rows[0]?.title ?? '', stableId: rows[0]?.stable_id ?? '' };
}

/** Mails of incident events; each incident's open and close mails are sent once (flags set first, in the database). */
export async function notifyIncidents(db: Queryable, mailer: Mailer, publicUrl: string, events: IncidentEvent[]): Promise<number> {
  let sent = 0;
  for (const event of events) {
    const flag = event.kind === 'opened' ? 'mailed_open' : 'mailed_close';
    const { rowCount } = await db.query(`UPDATE monitoring_incidents SET ${flag} = true WHERE id = $1 AND NOT ${flag}`, [event.incidentId]);
    if (rowCount === 0) continue;
    const team = await teamOf(db, event.procedureId);
    const statusUrl = `${publicUrl}/disponibilite/${encodeURIComponent(team.stableId)}`;
    for (const to of team.emails) {
      await mailer.send(incidentMail(to, team.title, event, statusUrl));
      sent++;
    }
  }
  return sent;
}

/**
 * Certificates expiring within `days`: one mail per certificate (debounced: `cert_warned_for` remembers the expiry
 * date already warned about; a renewed certificate, with another date, is warned about again when its time comes).
 */
export async function warnCertificates(db: Queryable, mailer: Mailer, days: number, now = new Date()): Promise<number> {
  const { rows } = await db.query(
    `UPDATE monitoring_targets SET cert_warned_for = cert_expires_at
      WHERE active AND cert_expires_at IS NOT NULL AND cert_expires_at < $1::timestamptz + make_interval(days => $2)
        AND cert_warned_for IS DISTINCT FROM cert_expires_at
      RETURNING id, procedure_id, url, cert_expires_at`,
    [now, days],
  );
  let sent = 0;
  for (const r of rows) {
    const team = await teamOf(db, Number(r.procedure_id));
    for (const to of team.emails) {
      await mailer.send(certificateMail(to, team.title, r.url, new Date(r.cert_expires_at)));
      sent++;
    }
  }
  return sent;
}
