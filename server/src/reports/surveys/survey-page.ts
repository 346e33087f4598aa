import { BAD_RATING_REASONS, BAD_RATING_REASON_LABELS, type BadRatingReason, type SurveyScale } from '../../../../contracts/surveys';

/** The choices of each scale as the link and the form carry them, with their stored score. */
export const SCALE_CHOICES: Record<SurveyScale, { value: string; label: string; score: number }[]> = {
  good_bad: [
    { value: 'good', label: 'Good, I’m satisfied', score: 5 },
    { value: 'bad', label: 'Bad, I’m unsatisfied', score: 1 },
  ],
  five: [1, 2, 3, 4, 5].map((score) => ({ value: String(score), label: String(score), score })),
  nps: Array.from({ length: 11 }, (_, score) => ({ value: String(score), label: String(score), score })),
};

/** Scores that count as a bad rating and ask for a reason (CSAT only). */
export function isBadScore(scale: SurveyScale, score: number): boolean {
  return scale !== 'nps' && score <= 2;
}

export const QUESTIONS: Record<SurveyScale, string> = {
  good_bad: 'How would you rate the support you received?',
  five: 'How would you rate the support you received? (1 = very poor, 5 = excellent)',
  nps: 'How likely are you to recommend us to a friend or colleague? (0 = not at all, 10 = extremely likely)',
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f5f6f8;color:#1f2430;line-height:1.45}
main{max-width:34rem;margin:0 auto;padding:1.5rem 1rem 3rem}header{font-weight:600;color:#4b5563;margin-bottom:1rem}
.card{background:#fff;border:1px solid #e2e5ea;border-radius:10px;padding:1.25rem}h1{font-size:1.3rem;margin:0 0 .75rem}
fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.5rem}
.choices{display:flex;flex-wrap:wrap;gap:.5rem}.choices label{display:flex;align-items:center;gap:.4rem;border:1px solid #cfd4dc;border-radius:8px;padding:.55rem .8rem;cursor:pointer;min-height:2.2rem}
.choices input:checked+span{font-weight:700}.reasons label{display:flex;gap:.5rem;padding:.3rem 0}
textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit;border:1px solid #cfd4dc;border-radius:8px;padding:.5rem}
button{font:inherit;font-weight:600;background:#2f5bea;color:#fff;border:0;border-radius:8px;padding:.7rem 1.4rem;margin-top:.5rem;min-height:2.75rem}
.muted{color:#6b7280;font-size:.9rem}`;

function layout(workspaceName: string, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)} · ${escape(workspaceName)}</title><style>${STYLE}</style></head>
<body><main><header>${escape(workspaceName)}</header><div class="card">${body}</div></main></body></html>`;
}

export interface SurveyFormPage {
  workspaceName: string;
  scale: SurveyScale;
  /** The choice from the link, preselected; null when the link carried none or an unknown one. */
  selected: string | null;
  ticketLabel: string | null;
  /** An earlier answer, shown so the customer knows a new one replaces it. */
  previous: { label: string } | null;
}

/** The page a survey link opens: nothing is recorded until the customer presses the button (mail scanners open links). */
export function surveyFormPage(page: SurveyFormPage): string {
  const choices = SCALE_CHOICES[page.scale]
    .map((choice) => `<label><input type="radio" name="answer" value="${choice.value}"${choice.value === page.selected ? ' checked' : ''} required><span>${escape(choice.label)}</span></label>`)
    .join('');
  const selectedScore = SCALE_CHOICES[page.scale].find((choice) => choice.value === page.selected)?.score;
  const askReason = page.scale !== 'nps' && (selectedScore === undefined || isBadScore(page.scale, selectedScore));
  const reasons = askReason
    ? `<fieldset class="reasons"><legend>What went wrong? <span class="muted">(optional)</span></legend>${BAD_RATING_REASONS.map(
        (reason) => `<label><input type="radio" name="reason" value="${reason}"><span>${escape(BAD_RATING_REASON_LABELS[reason])}</span></label>`,
      ).join('')}</fieldset>`
    : '';
  const about = page.ticketLabel ? `<p class="muted">About your request ${escape(page.ticketLabel)}</p>` : '';
  const previous = page.previous ? `<p class="muted">You answered “${escape(page.previous.label)}” before; sending again replaces it.</p>` : '';
  return layout(
    page.workspaceName,
    'Your feedback',
    `<h1>${escape(QUESTIONS[page.scale])}</h1>${about}${previous}<form method="post">
<fieldset><legend>Your answer</legend><div class="choices">${choices}</div></fieldset>${reasons}
<label for="comment"><strong>Anything you’d like to add?</strong> <span class="muted">(optional)</span></label>
<textarea id="comment" name="comment" maxlength="5000"></textarea>
<button type="submit">Send my answer</button></form>`,
  );
}

export function surveyThanksPage(workspaceName: string, answerLabel: string): string {
  return layout(workspaceName, 'Thank you', `<h1>Thank you for your feedback</h1><p>We recorded your answer: <strong>${escape(answerLabel)}</strong>.</p><p class="muted">If you change your mind, open the link in the email again: a new answer replaces this one.</p>`);
}

export function surveyRefusedPage(workspaceName: string, reason: 'tampered' | 'expired' | 'unknown'): string {
  const text =
    reason === 'expired'
      ? 'This survey link has expired: links work for 28 days after the email was sent. Thank you all the same.'
      : 'This survey link is not valid. Please open it from the email exactly as it was sent to you.';
  return layout(workspaceName, 'Link not valid', `<h1>${reason === 'expired' ? 'This link has expired' : 'This link is not valid'}</h1><p>${escape(text)}</p>`);
}

export function parseReason(value: unknown): BadRatingReason | null {
  return typeof value === 'string' && (BAD_RATING_REASONS as readonly string[]).includes(value) ? (value as BadRatingReason) : null;
}
