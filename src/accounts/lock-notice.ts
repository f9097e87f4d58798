import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../kernel/db/db.ts';
import type { AppDeps } from '../kernel/web/deps.ts';
import type { MailMessage } from '../kernel/mail/mailer.ts';
import { queueMail } from '../kernel/mail/queue.ts';
import { audit } from '../kernel/audit/audit.ts';
import { createAccountToken } from './tokens.ts';
import { lockNoticeMail } from './mails.ts';
import { lockMinutes, type LockoutRules } from './lockout.ts';

/** A lock-out notice goes to the owner at most once per this many minutes, whatever the number of failures. */
export const LOCK_NOTICE_INTERVAL_MINUTES = 60;

/**
 * Call in the transaction that has just locked the account, with the rules that locked it. Unless a notice went out
 * within the interval, records the notice, creates two single-use links (unlock, for the owner who mistyped; password
 * reset, for the owner who did not) and audits it (`user.lock_notice`). The mail states this lock's true duration and
 * the longer ones further failures would cause. With the job queue, the mail is queued in the same transaction and null
 * is returned; without it, the mail is returned for `sendLockNoticeLater`.
 */
export async function recordLockNotice(
  tx: Queryable,
  deps: Pick<AppDeps, 'config' | 'jobs' | 'mailer'>,
  userId: number,
  ipHash: string | null | undefined,
  rules: LockoutRules,
): Promise<MailMessage | null> {
  const { rows } = await tx.query<{ email: string; locked_until: Date; failed_logins: number }>(
    `UPDATE users SET lock_notice_sent_at = now()
      WHERE id = $1 AND locked_until > now() AND disabled_at IS NULL
        AND (lock_notice_sent_at IS NULL OR lock_notice_sent_at <= now() - $2 * interval '1 minute')
      RETURNING email, locked_until, failed_logins`,
    [userId, LOCK_NOTICE_INTERVAL_MINUTES],
  );
  const user = rows[0];
  if (!user) return null;
  const lockedUntil = new Date(user.locked_until);
  const minutes = lockMinutes(rules, user.failed_logins);
  const rung = Math.min(user.failed_logins - rules.failuresBeforeLock, rules.ladderMinutes.length - 1);
  const nextMinutes = rules.ladderMinutes.slice(rung + 1);
  const unlock = await createAccountToken(tx, userId, 'account_unlock', user.email);
  const reset = await createAccountToken(tx, userId, 'password_reset', user.email);
  const mail = lockNoticeMail(user.email, {
    lockedUntil,
    minutes,
    nextMinutes,
    unlockLink: `${deps.config.publicUrl}/deblocage-compte?jeton=${encodeURIComponent(unlock)}`,
    resetLink: `${deps.config.publicUrl}/reinitialisation-mot-de-passe?jeton=${encodeURIComponent(reset)}`,
  });
  await audit(tx, {
    actor: null,
    action: 'user.lock_notice',
    entityType: 'user',
    entityId: userId,
    after: { lockedUntil: lockedUntil.toISOString(), minutes },
    ipHash,
  });
  if (!deps.jobs) return mail;
  await queueMail(deps, mail, { tx });
  return null;
}

/** Without the job queue: sends after the commit, not awaited, so that the sign-in answer takes no longer. */
export function sendLockNoticeLater(deps: Pick<AppDeps, 'mailer'>, mail: MailMessage, log: FastifyBaseLogger): void {
  deps.mailer.send(mail).catch((error) => log.error({ err: error }, 'lock-out notice not sent'));
}
