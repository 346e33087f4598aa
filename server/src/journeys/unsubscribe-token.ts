import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../common/uuid';

export interface UnsubscribeClaim {
  customerId: string;
  touchId: string;
}


/**
 * Unsubscribe links carry the customer and the care email, signed with a key derived from the
 * workspace secret, so a link works without a login and cannot be made up for someone else. They start at
 * CARELOOP_PUBLIC_URL, the one address customers reach Careloop at (survey links start there too).
 */
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(
    secretKey: string,
    private readonly publicUrl: string,
  ) {
    this.key = createHmac('sha256', secretKey).update('careloop unsubscribe links').digest();
  }

  /** The link for one care email; `null` for a preview or test send (no email recorded): a link that unsubscribes nobody. */
  link(claim: UnsubscribeClaim | null): string {
    return `${this.publicUrl}/api/care/unsubscribe/${claim ? this.sign(claim) : 'preview'}`;
  }

  sign(claim: UnsubscribeClaim): string {
    const payload = `${claim.customerId}.${claim.touchId}`;
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(payload)}`;
  }

  verify(token: string): UnsubscribeClaim | null {
    const [encoded, mac] = token.split('.');
    if (!encoded || !mac) return null;
    const payload = Buffer.from(encoded, 'base64url').toString('utf8');
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const [customerId, touchId] = payload.split('.');
    return isUuid(customerId) && isUuid(touchId) ? { customerId, touchId } : null;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 32);
  }
}
