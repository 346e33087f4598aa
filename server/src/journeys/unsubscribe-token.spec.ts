import { UnsubscribeTokens } from './unsubscribe-token';

describe('unsubscribe links', () => {
  const tokens = new UnsubscribeTokens('workspace-secret-0123456789', 'https://help.example.com');
  const claim = { customerId: '0b6c1e1e-6b9a-4b53-9b7e-4b7f0c0f1a11', touchId: '9f0c2d44-1c1d-4d8e-8a34-3c0d51f1e2b2' };

  it('reads back what it signed', () => {
    expect(tokens.verify(tokens.sign(claim))).toEqual(claim);
  });

  it('refuses a link for another customer, a tampered signature or another workspace', () => {
    const token = tokens.sign(claim);
    const [, mac] = token.split('.');
    const forged = `${Buffer.from(`${'1'.repeat(8)}-1111-1111-1111-${'1'.repeat(12)}.${claim.touchId}`).toString('base64url')}.${mac}`;
    expect(tokens.verify(forged)).toBeNull();
    expect(tokens.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(new UnsubscribeTokens('another-secret-0123456789', 'https://help.example.com').verify(token)).toBeNull();
    expect(tokens.verify('nonsense')).toBeNull();
  });

  it('start at the public address; a preview link unsubscribes nobody', () => {
    expect(tokens.link(claim)).toBe(`https://help.example.com/api/care/unsubscribe/${tokens.sign(claim)}`);
    expect(tokens.verify(tokens.link(null).split('/').pop() ?? '')).toBeNull();
  });
});
