import { InvitationTokens } from './invitation-token';

describe('InvitationTokens', () => {
  const tokens = new InvitationTokens('workspace-secret-0123456789');
  const claim = { userId: '6f1c2a4e-1111-4a7b-9c3d-2e5f6a7b8c9d', invitedAt: 1_790_000_000_000, expiresAt: 1_790_604_800_000 };

  it('reads back what it signed', () => {
    expect(tokens.verify(tokens.sign(claim))).toEqual(claim);
  });

  it('refuses a token whose expiry was changed', () => {
    const [, mac] = tokens.sign(claim).split('.');
    const forged = `${Buffer.from(`${claim.userId}.${claim.invitedAt}.${claim.expiresAt + 86_400_000}`).toString('base64url')}.${mac}`;
    expect(tokens.verify(forged)).toBeNull();
  });

  it('refuses a token signed with another workspace key', () => {
    expect(new InvitationTokens('another-secret-0123456789').verify(tokens.sign(claim))).toBeNull();
  });

  it('refuses garbage', () => {
    expect(tokens.verify('not-a-token')).toBeNull();
    expect(tokens.verify('a.b.c')).toBeNull();
  });
});
