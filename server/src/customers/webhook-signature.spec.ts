import { isAuthentic, signPayload } from './webhook-signature';

describe('webhook authentication', () => {
  const secret = 'whsec_test';
  const body = Buffer.from('{"id":"evt_1","type":"renewed"}');

  it('accepts the HMAC-SHA256 of the exact body and nothing else', () => {
    const signature = signPayload(secret, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(isAuthentic(secret, { rawBody: body, signature, bearer: null })).toBe(true);
    expect(isAuthentic(secret, { rawBody: Buffer.from('{"id":"evt_1","type":"cancelled"}'), signature, bearer: null })).toBe(false);
    expect(isAuthentic('another secret', { rawBody: body, signature, bearer: null })).toBe(false);
  });

  it('does not fall back to the bearer token when a signature is present but wrong', () => {
    expect(isAuthentic(secret, { rawBody: body, signature: 'sha256=00', bearer: secret })).toBe(false);
  });

  it('accepts the secret itself as bearer token from senders that cannot sign', () => {
    expect(isAuthentic(secret, { rawBody: body, signature: undefined, bearer: secret })).toBe(true);
    expect(isAuthentic(secret, { rawBody: body, signature: undefined, bearer: 'guess' })).toBe(false);
    expect(isAuthentic(secret, { rawBody: body, signature: undefined, bearer: null })).toBe(false);
  });
});
