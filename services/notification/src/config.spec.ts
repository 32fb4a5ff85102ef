import { loadServiceConfig } from '@shop/service-kit';
import { notificationEnv } from './config';

const required = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  IDENTITY_HMAC_SECRET: 'notification-test-secret-0123456789abcdef',
};

describe('notification config', () => {
  it('runs without SMTP by default (emails skipped) with the documented defaults', () => {
    const config = loadServiceConfig(notificationEnv, required);
    expect(config).toMatchObject({
      PORT: 3006,
      NOTIFICATION_GROUP: 'notification',
      SMTP_FROM: 'Shop <no-reply@shop.local>',
      EMAIL_MAX_ATTEMPTS: 8,
      EMAIL_RETRY_INITIAL_DELAY_MS: 5_000,
      EMAIL_RETRY_MAX_DELAY_MS: 600_000,
      EMAIL_CONTACT_GRACE_MS: 3_600_000,
      EMAIL_CONCURRENCY: 4,
    });
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('accepts smtp:// and smtps:// URLs and sender addresses with or without a name', () => {
    for (const [url, from] of [
      ['smtp://127.0.0.1:2525', 'no-reply@shop.example'],
      ['smtps://user:secret@mail.example:465', 'Shop <no-reply@shop.example>'],
    ])
      expect(
        loadServiceConfig(notificationEnv, { ...required, SMTP_URL: url, SMTP_FROM: from }),
      ).toMatchObject({
        SMTP_URL: url,
        SMTP_FROM: from,
      });
  });

  it('names every bad email variable at once, without their values', () => {
    expect(() =>
      loadServiceConfig(notificationEnv, {
        ...required,
        SMTP_URL: 'http://user:secret@mail.example',
        SMTP_FROM: 'nobody',
        EMAIL_MAX_ATTEMPTS: '0',
      }),
    ).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL[\s\S]*SMTP_FROM[\s\S]*EMAIL_MAX_ATTEMPTS/);
    expect(() =>
      loadServiceConfig(notificationEnv, { ...required, SMTP_URL: 'http://user:secret@x' }),
    ).not.toThrow(/secret/);
  });

  it('refuses a first retry delay above the cap', () => {
    expect(() =>
      loadServiceConfig(notificationEnv, {
        ...required,
        EMAIL_RETRY_INITIAL_DELAY_MS: '10000',
        EMAIL_RETRY_MAX_DELAY_MS: '1000',
      }),
    ).toThrow(/EMAIL_RETRY_INITIAL_DELAY_MS: must not exceed EMAIL_RETRY_MAX_DELAY_MS/);
  });
});
