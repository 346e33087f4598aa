import { createHmac, timingSafeEqual } from 'node:crypto';

export interface InvitationClaim {
  userId: string;
  /** The invitation it belongs to: a newer invitation for the same person makes this link stop working. */
  invitedAt: number;
  expiresAt: number;
}

/**
 * Set-password links for invited people: the person, the invitation and its expiry, signed with a key derived
 * from the workspace secret, so nothing is stored and nobody can make one up or extend it.
 */
export class InvitationTokens {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = createHmac('sha256', secretKey).update('careloop invitation links').digest();
  }

  sign(claim: InvitationClaim): string {
    const payload = `${claim.userId}.${claim.invitedAt}.${claim.expiresAt}`;
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(payload)}`;
  }

  /** The claim of a well-signed token (expired or not: the caller decides with its clock), or null. */
  verify(token: string): InvitationClaim | null {
    const [encoded, mac, extra] = token.split('.');
    if (!encoded || !mac || extra !== undefined) return null;
    const payload = Buffer.from(encoded, 'base64url').toString('utf8');
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const [userId, invitedAt, expiresAt] = payload.split('.');
    if (!userId || !/^\d+$/.test(invitedAt ?? '') || !/^\d+$/.test(expiresAt ?? '')) return null;
    return { userId, invitedAt: Number(invitedAt), expiresAt: Number(expiresAt) };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
