const TICKET_TOKEN = /\[#(\d{1,15})\]/;
const TICKET_TOKENS = /\s*\[#\d{1,15}\]\s*/g;
/** Reply and forward prefixes as mail clients write them in several languages ("Re:", "AW:", "Fwd:", "Re[2]:"). */
const PREFIX = /^\s*(re|aw|sv|vs|antw|ant|r|rif|fw|fwd|wg|tr|enc)(\[\d+\])?\s*:\s*/i;
const FORWARD_PREFIX = /^(fw|fwd|wg|tr|enc)$/i;
const TICKET_DETAIL = /^t(\d{1,15})(?:-([0-9a-f]{8,64}))?$/i;

/** The ticket number in a subject token such as "[#1234]", or null. */
export function extractTicketToken(subject: string): number | null {
  const match = TICKET_TOKEN.exec(subject);
  return match ? toTicketNumber(match[1]) : null;
}

/**
 * The subject for mail about a ticket: one reply or forward prefix at most (the leading one, normalised to
 * "Re:"/"Fwd:"), the text, and a single "[#number]" token at the end, however often the subject went round.
 */
export function formatSubjectWithToken(subject: string, ticketNumber: number): string {
  let rest = subject.replace(TICKET_TOKENS, ' ').trim();
  let prefix = '';
  for (let match = PREFIX.exec(rest); match; match = PREFIX.exec(rest)) {
    if (!prefix) prefix = FORWARD_PREFIX.test(match[1]) ? 'Fwd: ' : 'Re: ';
    rest = rest.slice(match[0].length);
  }
  return `${prefix}${rest.trim()} [#${ticketNumber}]`.trim();
}

/**
 * The mailbox address with the ticket number (and its signature, when given) as its plus detail:
 * support@example.com → support+t1234-<signature>@example.com.
 */
export function plusAddressMarker(address: string, ticketNumber: number, signature?: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) throw new Error(`Not an email address: "${address}"`);
  const localParts = address.slice(0, at).split('+');
  const details = localParts.slice(1).filter((detail) => !TICKET_DETAIL.test(detail));
  return `${[localParts[0], ...details, `t${ticketNumber}${signature ? `-${signature}` : ''}`].join('+')}${address.slice(at)}`;
}

/** The ticket number and signature in an address's plus detail ("support+t1234-<sig>@…"), or null. */
export function parsePlusAddressMarker(address: string): { number: number; signature: string | null } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const detail = address.slice(0, at).split('+').slice(1).pop();
  const match = detail ? TICKET_DETAIL.exec(detail) : null;
  const number = match ? toTicketNumber(match[1]) : null;
  return match && number !== null ? { number, signature: match[2] ?? null } : null;
}

function toTicketNumber(digits: string): number | null {
  const value = Number(digits);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
