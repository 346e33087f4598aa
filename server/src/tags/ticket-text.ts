/** What the tag features read of a ticket: its subject and the start of the customer's first message. */
export interface TicketText {
  ticketId: string;
  subject: string;
  body: string | null;
}

/** Enough of a first message to say what it is about; signatures and quoted history come later. */
const BODY_CHARS = 2000;
/** Clusters compare the gist: the subject and the opening of the message. */
const CLUSTER_CHARS = 160;

export function suggestionText({ subject, body }: TicketText): string {
  return `${subject}\n${(body ?? '').slice(0, BODY_CHARS)}`;
}

/**
 * The text a ticket is clustered by: reply prefixes dropped, lower-cased, digits folded (order numbers and dates
 * differ between otherwise identical reports), punctuation to spaces, cut to the opening words.
 */
export function clusterText({ subject, body }: TicketText): string {
  const topic = subject.replace(/^\s*((re|fwd?|aw|sv)\s*:\s*)+/i, '');
  return `${topic} ${body ?? ''}`
    .toLowerCase()
    .replace(/\d+/g, '0')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, CLUSTER_CHARS)
    .trim();
}
