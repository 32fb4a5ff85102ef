import type { NotificationText } from './notification';
import type { ContactCard } from './channel-decisions';

export interface EmailMessage {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * The Message-ID of a notification's email: the same on every attempt, so
 * if a process dies after the SMTP server accepted the email but before the
 * row was marked sent, the resend carries the same id and mail systems (and
 * the customer's client) can recognise it as a duplicate. The domain is the
 * sender address's, as RFC 5322 suggests.
 */
export function emailMessageId(notificationId: string, from: string): string {
  return `<notification-${notificationId}@${senderDomain(from)}>`;
}

/** `Shop <no-reply@shop.example>` or `no-reply@shop.example` -> `shop.example`. */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.slice(address.lastIndexOf('@') + 1).trim();
  if (!address.includes('@') || !/^[A-Za-z0-9.-]+$/.test(domain))
    throw new Error(`Not an email address with a domain: ${from}`);
  return domain.toLowerCase();
}

/** The email of a notification for a contact. */
export function notificationEmail(input: {
  notificationId: string;
  text: Pick<NotificationText, 'title' | 'body'>;
  to: ContactCard;
  from: string;
}): EmailMessage {
  return {
    messageId: emailMessageId(input.notificationId, input.from),
    from: input.from,
    to: input.to.email,
    subject: input.text.title,
    text: `Hello ${input.to.name},\n\n${input.text.body}\n\nYour shop team\n`,
  };
}
