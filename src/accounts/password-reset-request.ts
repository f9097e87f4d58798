import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import type { MailMessage } from '../kernel/mail/mailer.ts';
import { queueMail } from '../kernel/mail/queue.ts';
import { audit } from '../kernel/audit/audit.ts';
import { createAccountToken } from './tokens.ts';
import { passwordResetMail } from './mails.ts';

/** « Mot de passe oublié » requests, handled by a worker: the request itself never looks the address up. */
export const PASSWORD_RESET_QUEUE = 'accounts.password_reset';

export interface PasswordResetRequest {
  email: string;
  ipHash: string | null;
}

/**
 * What the « Mot de passe oublié » form does on the request, the same for every address, known or not: it hands the
 * address over (a job when jobs run; otherwise the next turn of the event loop, after the answer is sent) and does
 * nothing else. Whether an account exists is decided away from the request, so its timing cannot tell.
 */
export async function requestPasswordReset(deps: AppDeps, request: PasswordResetRequest, log: FastifyBaseLogger): Promise<void> {
  if (deps.jobs) {
    await deps.jobs.send(PASSWORD_RESET_QUEUE, request, { retryLimit: 3, retryDelay: 30, retryBackoff: true });
    return;
  }
  setImmediate(() => {
    handlePasswordResetRequest(deps, request).catch((error) => log.error({ err: error }, 'password reset request failed'));
  });
}

/**
 * The worker's side: for an active account with this address, a single-use reset link (1 hour), audited
 * (`user.request_password_reset`), and its mail, queued in the same transaction when jobs run; for any other address,
 * nothing at all.
 */
export async function handlePasswordResetRequest(deps: AppDeps, request: PasswordResetRequest): Promise<void> {
  const { db, config } = deps;
  const { rows } = await db.query<{ id: number; email: string }>(
    'SELECT id, email FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL',
    [request.email],
  );
  const user = rows[0];
  if (!user) return;
  const mail: MailMessage = await db.transaction(async (tx) => {
    const token = await createAccountToken(tx, user.id, 'password_reset', user.email);
    await audit(tx, { actor: null, action: 'user.request_password_reset', entityType: 'user', entityId: user.id, ipHash: request.ipHash });
    const message = passwordResetMail(user.email, `${config.publicUrl}/reinitialisation-mot-de-passe?jeton=${encodeURIComponent(token)}`);
    if (deps.jobs) await queueMail(deps, message, { tx });
    return message;
  });
  if (!deps.jobs) await deps.mailer.send(mail);
}

/** Registers the worker (when jobs run; called from the module manifest). */
export async function registerPasswordResetWorker(deps: AppDeps): Promise<void> {
  if (!deps.jobs) return;
  await deps.jobs.work<PasswordResetRequest>(PASSWORD_RESET_QUEUE, (job) => handlePasswordResetRequest(deps, job.data));
}
