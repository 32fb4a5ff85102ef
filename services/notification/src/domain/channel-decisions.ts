import type { EmailSkipReason } from './notification';

/** How a new notification's email delivery starts. */
export type InitialEmailDelivery =
  { status: 'pending'; nextAttemptAt: Date } | { status: 'skipped'; reason: EmailSkipReason };

/**
 * At creation: without an SMTP server nothing can ever be sent, so the email
 * is skipped at once; otherwise it is due now. The contact is NOT required
 * here: UserRegistered may arrive after the order's events (another topic),
 * so the worker looks the contact up when it sends (see emailDispatch).
 */
export function initialEmailDelivery(smtpConfigured: boolean, now: Date): InitialEmailDelivery {
  return smtpConfigured
    ? { status: 'pending', nextAttemptAt: now }
    : { status: 'skipped', reason: 'smtp_not_configured' };
}

export interface ContactCard {
  email: string;
  name: string;
}

/** What the worker does with a due email. */
export type EmailDispatch =
  { action: 'send'; to: ContactCard } | { action: 'wait' } | { action: 'skip'; reason: EmailSkipReason };

/**
 * Send when the contact is known. Without it, wait for UserRegistered for
 * `contactGraceMs` after the notification was created, then skip with
 * 'contact_unknown' (the in-app notification is still there). The worker's
 * claim query only picks rows that are not in the 'wait' case (same rule in
 * SQL, `email-delivery.store.ts`), so a waiting email costs no SMTP work.
 */
export function emailDispatch(input: {
  contact: ContactCard | null;
  notificationCreatedAt: Date;
  now: Date;
  contactGraceMs: number;
}): EmailDispatch {
  if (input.contact) return { action: 'send', to: input.contact };
  const waitedMs = input.now.getTime() - input.notificationCreatedAt.getTime();
  return waitedMs >= input.contactGraceMs
    ? { action: 'skip', reason: 'contact_unknown' }
    : { action: 'wait' };
}
