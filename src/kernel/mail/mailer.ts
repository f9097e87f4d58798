import type { Queryable } from '../db/db.ts';
/** Outgoing e-mail: SMTP through nodemailer, or the dev outbox when no SMTP server is configured. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /**
   * `tx`: the open transaction the mail belongs to, when it is sent without the job queue. A mailer that stores mails
   * (the outbox) writes through it, so the mail exists only if the transaction commits, and on PGlite (one connection)
   * it does not wait for the transaction it is part of.
   */
  send(message: MailMessage, options?: { tx?: Queryable }): Promise<void>;
  close(): Promise<void>;
}
