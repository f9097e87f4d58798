import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../kernel/db/db.ts';
import type { AppDeps } from '../kernel/web/deps.ts';
import type { MailMessage } from '../kernel/mail/mailer.ts';
import { queueMail } from '../kernel/mail/queue.ts';
import { audit } from '../kernel/audit/audit.ts';
import { createAccountToken } from './tokens.ts';
import { lockNoticeMail } from './mails.ts';

/** A lock-out notice goes to the owner at most once per this many minutes, whatever the number of failures. */
export const LOCK_NOTICE_INTERVAL_MINUTES = 60;

/**
 * Call in the transaction that has just locked the account. Unless a notice went out within the interval, records
 * the notice, creates a single-use reset link and audits it (`user.lock_notice`). With the job queue, the mail is
 * queued in the same transaction and null is returned; without it, the mail is returned for `sendLockNoticeLater`.
 */
export async function recordLockNotice(
  tx: Queryable,
  deps: Pick<AppDeps, 'config' | 'jobs' | 'mailer'>,
  userId: number,
  ipHash: string | null | undefined,
): Promise<MailMessage | null> {
  const { rows } = await tx.query<{ email: string; locked_until: Date }>(
    `UPDATE users SET lock_notice_sent_at = now()
      WHERE id = $1 AND locked_until > now() AND disabled_at IS NULL
        AND (lock_notice_sent_at IS NULL OR lock_notice_sent_at <= now() - $2 * interval '1 minute')
      RETURNING email, locked_until`,
    [userId, LOCK_NOTICE_INTERVAL_MINUTES],
  );
  const user = rows[0];
  if (!user) return null;
  const token = await createAccountToken(tx, userId, 'password_reset', user.email);
  const link = `${deps.config.publicUrl}/reinitialisation-mot-de-passe?jeton=${encodeURIComponent(token)}`;
  const mail = lockNoticeMail(user.email, new Date(user.locked_until), link);
  await audit(tx, { actor: null, action: 'user.lock_notice', entityType: 'user', entityId: userId, after: { lockedUntil: new Date(user.locked_until).toISOString() }, ipHash });
  if (!deps.jobs) return mail;
  await queueMail(deps, mail, { tx });
  return null;
}

/** Without the job queue: sends after the commit, not awaited, so that the sign-in answer takes no longer. */
export function sendLockNoticeLater(deps: Pick<AppDeps, 'mailer'>, mail: MailMessage, log: FastifyBaseLogger): void {
  deps.mailer.send(mail).catch((error) => log.error({ err: error }, 'lock-out notice not sent'));
}
