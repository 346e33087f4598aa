/** Surveys (CSAT after a solve, NPS from care journeys) and their answers. Shared by server and client. */
import { z } from 'zod';

export const SURVEY_KINDS = ['csat', 'nps'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** How a survey asks: CSAT as Good/Bad or 1–5, NPS always 0–10. */
export const SURVEY_SCALES = ['good_bad', 'five', 'nps'] as const;
export type SurveyScale = (typeof SURVEY_SCALES)[number];

export const SURVEY_STATES = ['scheduled', 'sent', 'cancelled', 'suppressed', 'failed'] as const;
export type SurveyState = (typeof SURVEY_STATES)[number];

/** Reasons a customer may pick for a bad CSAT rating. */
export const BAD_RATING_REASONS = ['slow', 'not_solved', 'unfriendly', 'product', 'other'] as const;
export type BadRatingReason = (typeof BAD_RATING_REASONS)[number];
export const BAD_RATING_REASON_LABELS: Record<BadRatingReason, string> = {
  slow: 'It took too long',
  not_solved: 'My problem was not solved',
  unfriendly: 'The answer was unhelpful or unfriendly',
  product: 'I am unhappy with the product itself',
  other: 'Something else',
};

/**
 * The score stored for an answer. CSAT is kept on 1–5 whatever the scale (Good = 5, Bad = 1), so the
 * low-satisfaction trigger and the reports read one number; a CSAT answer is "good" at 4 or more.
 * NPS keeps its 0–10.
 */
export const CSAT_GOOD_SCORE = 4;

/** NPS: promoters answer 9–10, detractors 0–6, the rest (7–8) are passives. NPS = % promoters − % detractors. */
export const NPS_PROMOTER_MIN = 9;
export const NPS_DETRACTOR_MAX = 6;
export const NPS_GROUPS = ['promoters', 'passives', 'detractors'] as const;
export type NpsGroup = (typeof NPS_GROUPS)[number];
export const npsGroup = (score: number): NpsGroup => (score >= NPS_PROMOTER_MIN ? 'promoters' : score <= NPS_DETRACTOR_MAX ? 'detractors' : 'passives');

export const VoidAnswerSchema = z.object({
  reason: z.string().trim().min(3, 'say why the answer is voided (at least 3 characters)').max(1000),
});
export type VoidAnswerRequest = z.input<typeof VoidAnswerSchema>;

export interface SurveyAnswerDto {
  id: string;
  surveyId: string | null;
  kind: SurveyKind;
  score: number;
  /** CSAT only: score ≥ CSAT_GOOD_SCORE. */
  good: boolean | null;
  comment: string | null;
  reason: BadRatingReason | null;
  ticketId: string | null;
  ticketNumber: number | null;
  customerId: string;
  customerName: string | null;
  customerEmail: string;
  answeredAt: string;
  voidedAt: string | null;
  voidReason: string | null;
}
