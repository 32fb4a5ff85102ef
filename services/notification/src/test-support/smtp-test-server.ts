/**
 * A real SMTP server (smtp-server, in-process) for the integration tests:
 * records every accepted email, can be stopped and started again on the same
 * port (an SMTP outage), can answer slowly, and can reject recipients with a
 * permanent 550.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedEmail {
  messageId: string;
  to: string[];
  subject: string;
  /** The text body, quoted-printable decoded. */
  text: string;
}

export interface SmtpTestServerOptions {
  /** Delay before an email is accepted (so concurrent senders overlap). */
  acceptDelayMs?: number;
  /** Recipients answered with `550 No such user`. */
  rejectRecipients?: readonly string[];
}

export class SmtpTestServer {
  readonly received: ReceivedEmail[] = [];
  private server: SMTPServer | undefined;
  private port = 0;

  private constructor(private readonly options: SmtpTestServerOptions) {}

  static async start(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    const smtp = new SmtpTestServer(options);
    await smtp.up();
    return smtp;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Emails received with this Message-ID (duplicates show up as several). */
  withMessageId(messageId: string): ReceivedEmail[] {
    return this.received.filter((email) => email.messageId === messageId);
  }

  /** Listens (again) on the same port: connections are refused between down() and up(). */
  async up(): Promise<void> {
    const server = new SMTPServer(this.serverOptions());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined); // client resets while stopping are not test failures
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serverOptions(): SMTPServerOptions {
    const reject = new Set(this.options.rejectRecipients ?? []);
    return {
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      onRcptTo: (address, _session, callback) => {
        if (!reject.has(address.address)) return callback();
        const error = Object.assign(new Error('No such user'), { responseCode: 550 });
        callback(error);
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const finish = () => {
            this.received.push(parseEmail(Buffer.concat(chunks).toString('utf8')));
            callback();
          };
          if (this.options.acceptDelayMs) setTimeout(finish, this.options.acceptDelayMs);
          else finish();
        });
      },
    };
  }
}

function parseEmail(raw: string): ReceivedEmail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const body = raw.slice(split + 4);
  const quotedPrintable = /^content-transfer-encoding:\s*quoted-printable/im.test(head);
  return {
    messageId: header('Message-ID'),
    to: header('To')
      .split(',')
      .map((to) => to.trim()),
    subject: header('Subject'),
    text: quotedPrintable ? decodeQuotedPrintable(body) : body,
  };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
