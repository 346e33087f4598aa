import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../common/uuid';

/** How long a survey link works after it is sent. */
export const SURVEY_LINK_DAYS = 28;

export type SurveyLinkCheck = { valid: true; surveyId: string } | { valid: false; reason: 'tampered' | 'expired' };


/**
 * Survey links carry the survey and their expiry, signed (HMAC-SHA256) with a key derived from the workspace
 * secret: they work without a login, for 28 days, and cannot be made up or moved to another survey.
 */
export class SurveyTokens {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = createHmac('sha256', secretKey).update('careloop survey links').digest();
  }

  sign(surveyId: string, sentAt: Date): string {
    const expires = Math.floor(sentAt.getTime() / 1000) + SURVEY_LINK_DAYS * 86_400;
    const payload = `${surveyId}.${expires}`;
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(payload)}`;
  }

  verify(token: string, now: Date): SurveyLinkCheck {
    const [encoded, mac, ...rest] = token.split('.');
    if (!encoded || !mac || rest.length) return { valid: false, reason: 'tampered' };
    const payload = Buffer.from(encoded, 'base64url').toString('utf8');
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, reason: 'tampered' };
    const [surveyId, expires] = payload.split('.');
    if (!isUuid(surveyId) || !/^\d+$/.test(expires ?? '')) return { valid: false, reason: 'tampered' };
    if (now.getTime() > Number(expires) * 1000) return { valid: false, reason: 'expired' };
    return { valid: true, surveyId };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 32);
  }
}
