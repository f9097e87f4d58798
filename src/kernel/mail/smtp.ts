import nodemailer from 'nodemailer';
import type { Db, Queryable } from '../db/db.ts';
import type { MailMessage, Mailer } from './mailer.ts';

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message: MailMessage) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html });
    },
    async close() {
      transport.close();
    },
  };
}

/** Without SMTP settings, mails land in the outbox table (shown to the steering admin) and in the log. */
export function outboxMailer(db: Db, log: (message: string, data: object) => void): Mailer {
  return {
    async send(message: MailMessage, options?: { tx?: Queryable }) {
      await (options?.tx ?? db).query('INSERT INTO mail_outbox (recipient, subject, body_text, body_html) VALUES ($1, $2, $3, $4)', [
        message.to,
        message.subject,
        message.text,
        message.html ?? null,
      ]);
      log('mail kept in the outbox (no SMTP configured)', { subject: message.subject });
    },
    async close() {},
  };
}
