import { SURVEY_LINK_DAYS, SurveyTokens } from './survey-token';

describe('survey links', () => {
  const tokens = new SurveyTokens('secret-one-0123456789');
  const surveyId = '3f1e6a52-9a0c-4d57-9d0b-2f7f3e0c1a11';
  const sentAt = new Date('2026-03-01T10:00:00Z');
  const day = 86_400_000;

  it('accept their own signature until 28 days after sending', () => {
    const token = tokens.sign(surveyId, sentAt);
    expect(tokens.verify(token, new Date(sentAt.getTime() + (SURVEY_LINK_DAYS - 1) * day))).toEqual({ valid: true, surveyId });
    expect(tokens.verify(token, new Date(sentAt.getTime() + SURVEY_LINK_DAYS * day + 1000))).toEqual({ valid: false, reason: 'expired' });
  });

  it('refuse a changed survey, a changed expiry and another key', () => {
    const token = tokens.sign(surveyId, sentAt);
    const [, mac] = token.split('.');
    const otherSurvey = `${Buffer.from(`${surveyId.replace('3f1e', '4f1e')}.${Math.floor(sentAt.getTime() / 1000) + SURVEY_LINK_DAYS * 86_400}`).toString('base64url')}.${mac}`;
    const longer = `${Buffer.from(`${surveyId}.9999999999`).toString('base64url')}.${mac}`;
    expect(tokens.verify(otherSurvey, sentAt)).toEqual({ valid: false, reason: 'tampered' });
    expect(tokens.verify(longer, sentAt)).toEqual({ valid: false, reason: 'tampered' });
    expect(new SurveyTokens('secret-two-0123456789').verify(token, sentAt)).toEqual({ valid: false, reason: 'tampered' });
    expect(tokens.verify('garbage', sentAt)).toEqual({ valid: false, reason: 'tampered' });
  });
});
