import { createTransport, type Transporter } from 'nodemailer';
import type { EmailMessage } from '../domain/email-message';
import type { SendFailure } from '../domain/email-retry';

export type SendOutcome = { ok: true } | { ok: false; failure: SendFailure };

/** Sends one email; never throws (a failure is an outcome the worker decides about). */
export interface Mailer {
  send(message: EmailMessage): Promise<SendOutcome>;
}

/**
 * SMTP through nodemailer, one connection per email (no pool: a pooled
 * connection broken by a server restart would fail the next sends too).
 * Every phase is bounded by `timeoutMs`, and so is the whole send, because
 * the worker holds a row lock and a transaction while it waits.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.transport = createTransport({
      url,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(message: EmailMessage): Promise<SendOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SendOutcome>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, failure: { message: `SMTP send timed out after ${this.timeoutMs} ms` } }),
        this.timeoutMs,
      );
    });
    const send = this.transport
      .sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
      })
      .then((): SendOutcome => ({ ok: true }))
      .catch((err: unknown): SendOutcome => ({ ok: false, failure: sendFailure(err) }));
    try {
      return await Promise.race([send, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** nodemailer puts the server's reply code on `responseCode`; network errors have only a code like ECONNREFUSED. */
function sendFailure(err: unknown): SendFailure {
  const { responseCode, code, message } = (err ?? {}) as {
    responseCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const text = typeof message === 'string' ? message : String(err);
  return {
    ...(typeof responseCode === 'number' && { smtpCode: responseCode }),
    message: typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text,
  };
}
