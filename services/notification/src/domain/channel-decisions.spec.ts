import { emailDispatch, initialEmailDelivery } from './channel-decisions';

const now = new Date('2026-11-21T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const ana = { email: 'ana@example.com', name: 'Ana' };

describe('channel decisions', () => {
  it('makes a new email due now when SMTP is configured', () => {
    expect(initialEmailDelivery(true, now)).toEqual({ status: 'pending', nextAttemptAt: now });
  });

  it('skips a new email with the reason when SMTP is not configured', () => {
    expect(initialEmailDelivery(false, now)).toEqual({ status: 'skipped', reason: 'smtp_not_configured' });
  });

  it('sends to the contact when it is known, however old the notification', () => {
    expect(
      emailDispatch({ contact: ana, notificationCreatedAt: minutesAgo(600), now, contactGraceMs: 60_000 }),
    ).toEqual({
      action: 'send',
      to: ana,
    });
  });

  it('waits for an unknown contact during the grace period', () => {
    expect(
      emailDispatch({ contact: null, notificationCreatedAt: minutesAgo(59), now, contactGraceMs: 3_600_000 }),
    ).toEqual({ action: 'wait' });
  });

  it('skips with contact_unknown once the grace period is over', () => {
    expect(
      emailDispatch({ contact: null, notificationCreatedAt: minutesAgo(60), now, contactGraceMs: 3_600_000 }),
    ).toEqual({ action: 'skip', reason: 'contact_unknown' });
    expect(emailDispatch({ contact: null, notificationCreatedAt: now, now, contactGraceMs: 0 })).toEqual({
      action: 'skip',
      reason: 'contact_unknown',
    });
  });
});
