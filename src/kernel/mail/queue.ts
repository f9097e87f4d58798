import type { AppDeps } from '../web/deps.ts';
import type { SendOptions } from '../jobs/jobs.ts';
import type { MailMessage } from './mailer.ts';
import type { Queryable } from '../db/db.ts';

export const MAIL_QUEUE = 'mail.send';

/** A mail server down for a while: retried after 1, 2, 4, 8 then 16 minutes before giving up. */
export const MAIL_RETRY: Pick<SendOptions, 'retryLimit' | 'retryDelay' | 'retryBackoff'> = {
  retryLimit: 5,
  retryDelay: 60,
  retryBackoff: true,
};

/**
 * Sends a mail in the background when jobs run (the request does not wait for the SMTP server, failures are retried),
 * or at once otherwise (tests, one-off commands). Inside `db.transaction(…)`, pass `tx`: the mail is then queued only
 * if the transaction commits.
 */
export async function queueMail(
  deps: Pick<AppDeps, 'jobs' | 'mailer'>,
  message: MailMessage,
  options: { tx?: Queryable; retry?: typeof MAIL_RETRY } = {},
): Promise<void> {
  const { to, subject, text, html } = message;
  if (deps.jobs) await deps.jobs.send(MAIL_QUEUE, { to, subject, text, html }, { ...(options.retry ?? MAIL_RETRY), tx: options.tx });
  else await deps.mailer.send(message, { tx: options.tx });
}

/** The worker that delivers queued mails through the configured mailer; a thrown error makes pg-boss retry. */
export async function registerMailWorker(deps: Pick<AppDeps, 'jobs' | 'mailer'>): Promise<void> {
  if (!deps.jobs) return;
  await deps.jobs.work<MailMessage>(MAIL_QUEUE, async (job) => {
    await deps.mailer.send(job.data);
  });
}
