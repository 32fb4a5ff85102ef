import { emailMessageId, notificationEmail, senderDomain } from './email-message';

const ID = '0192f0c1-7d3a-7b2e-9c41-5e6f7a8b9c0d';

describe('notification emails', () => {
  it('has a Message-ID that depends only on the notification and the sender domain', () => {
    expect(emailMessageId(ID, 'Shop <no-reply@Shop.Example>')).toBe(`<notification-${ID}@shop.example>`);
    expect(emailMessageId(ID, 'no-reply@shop.example')).toBe(emailMessageId(ID, 'Other <x@shop.example>'));
  });

  it('refuses a sender without a domain', () => {
    expect(() => senderDomain('nobody')).toThrow('Not an email address with a domain');
    expect(() => senderDomain('Shop <a@>')).toThrow();
  });

  it('greets the contact by name and carries the title as subject', () => {
    expect(
      notificationEmail({
        notificationId: ID,
        text: { title: 'Order ABC confirmed', body: 'Thank you!' },
        to: { email: 'ana@example.com', name: 'Ana' },
        from: 'Shop <no-reply@shop.example>',
      }),
    ).toEqual({
      messageId: `<notification-${ID}@shop.example>`,
      from: 'Shop <no-reply@shop.example>',
      to: 'ana@example.com',
      subject: 'Order ABC confirmed',
      text: 'Hello Ana,\n\nThank you!\n\nYour shop team\n',
    });
  });
});
