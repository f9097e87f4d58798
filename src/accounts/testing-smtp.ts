/**
 * A real SMTP server for tests that check the mails Vigie sends (password reset, lock-out notice).
 * Only imported by tests.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eventually } from '../kernel/jobs/fixtures/jobs-for-test.ts';

export interface Received {
  to: string[];
  raw: string;
}

/** A real SMTP server on a free port, keeping what it receives. */
export async function startSmtp(): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Mail bodies travel quoted-printable: undo soft line breaks and =XX escapes. */
export function decodeQuotedPrintable(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Waits (about 10 s at most) until `smtp` has received `count` mails: the server sends them after answering. */
export function mailsReceived(smtp: { received: Received[] }, count: number): Promise<true> {
  return eventually(async () => (smtp.received.length >= count ? true : undefined), `${count} mail(s)`, 200);
}
