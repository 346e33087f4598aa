import { isAuthentic, signPayload, SIGNATURE_TOLERANCE_SECONDS, UNTIMED_SIGNATURES_UNTIL } from './webhook-signature';

describe('webhook authentication', () => {
  const secret = 'whsec_test';
  const body = Buffer.from('{"id":"evt_1","type":"renewed"}');
  const now = new Date('2026-12-02T10:00:00Z');
  const seconds = now.getTime() / 1000;
  const timed = (timestamp: number, overrides: { rawBody?: Buffer; key?: string } = {}) => ({
    rawBody: overrides.rawBody ?? body,
    signature: signPayload(overrides.key ?? secret, body, timestamp),
    timestamp: String(timestamp),
    bearer: null,
  });

  it('accepts the HMAC-SHA256 of "timestamp.body" within five minutes, and nothing else', () => {
    expect(signPayload(secret, body, seconds)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(isAuthentic(secret, timed(seconds), now)).toBe(true);
    expect(isAuthentic(secret, timed(seconds - SIGNATURE_TOLERANCE_SECONDS), now)).toBe(true);
    expect(isAuthentic(secret, timed(seconds - SIGNATURE_TOLERANCE_SECONDS - 1), now)).toBe(false);
    expect(isAuthentic(secret, timed(seconds + SIGNATURE_TOLERANCE_SECONDS + 1), now)).toBe(false);
    expect(isAuthentic(secret, timed(seconds, { rawBody: Buffer.from('{"id":"evt_1","type":"cancelled"}') }), now)).toBe(false);
    expect(isAuthentic(secret, timed(seconds, { key: 'another secret' }), now)).toBe(false);
    // A replay with a fresh timestamp needs a new signature, which only the secret's holder can make.
    expect(isAuthentic(secret, { ...timed(seconds - 3600), timestamp: String(seconds) }, now)).toBe(false);
    expect(isAuthentic(secret, { ...timed(seconds), timestamp: 'soon' }, now)).toBe(false);
  });

  it('still accepts the untimed form (the body alone) until its deprecation date', () => {
    const untimed = { rawBody: body, signature: signPayload(secret, body), timestamp: undefined, bearer: null };
    expect(isAuthentic(secret, untimed, now)).toBe(true);
    expect(isAuthentic(secret, untimed, UNTIMED_SIGNATURES_UNTIL)).toBe(false);
  });

  it('does not fall back to the bearer token when a signature is present but wrong', () => {
    expect(isAuthentic(secret, { rawBody: body, signature: 'sha256=00', timestamp: undefined, bearer: secret }, now)).toBe(false);
  });

  it('accepts the secret itself as bearer token from senders that cannot sign', () => {
    const bearer = (token: string | null) => ({ rawBody: body, signature: undefined, timestamp: undefined, bearer: token });
    expect(isAuthentic(secret, bearer(secret), now)).toBe(true);
    expect(isAuthentic(secret, bearer('guess'), now)).toBe(false);
    expect(isAuthentic(secret, bearer(null), now)).toBe(false);
  });
});
