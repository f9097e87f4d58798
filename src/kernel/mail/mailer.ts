/** Outgoing e-mail: SMTP through nodemailer, or the dev outbox when no SMTP server is configured. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}
