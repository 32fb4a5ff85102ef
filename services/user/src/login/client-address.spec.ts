import { clientAddress } from './client-address';

describe('client address of a login', () => {
  const request = (forwarded?: string | string[]) => ({
    ip: '10.0.0.5',
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  });

  it('is the socket peer unless forwarded-for is trusted', () => {
    expect(clientAddress(request('1.2.3.4'), false)).toBe('10.0.0.5');
  });

  it('behind the trusted gateway, is the last forwarded-for entry (what the gateway saw), not what the client wrote', () => {
    expect(clientAddress(request('6.6.6.6, 1.2.3.4'), true)).toBe('1.2.3.4');
    expect(clientAddress(request(['6.6.6.6', '1.2.3.4']), true)).toBe('1.2.3.4');
    expect(clientAddress(request(), true)).toBe('10.0.0.5');
    expect(clientAddress(request(' '), true)).toBe('10.0.0.5');
  });
});
