import type { TypingMode } from '../../../../contracts/events';

/** What an agent has written but not sent on a ticket. */
export interface Draft {
  mode: TypingMode;
  body: string;
  cc: string;
  /** Other agents' replies the draft was written knowing of (a newer one holds the send). */
  seenReplyIds: string[] | null;
}

/**
 * Unsent composer text per user and ticket, kept for the browser tab (sessionStorage): opening another
 * ticket, or reloading, loses nothing; another person signing in on the tab sees none of it.
 */
const keyOf = (userId: string, ticketId: string) => `careloop.draft.${userId}.${ticketId}`;

export function loadDraft(userId: string, ticketId: string): Draft | null {
  try {
    const stored = sessionStorage.getItem(keyOf(userId, ticketId));
    return stored ? (JSON.parse(stored) as Draft) : null;
  } catch {
    return null;
  }
}

export function saveDraft(userId: string, ticketId: string, draft: Draft): void {
  try {
    if (draft.body.trim() || draft.cc.trim()) sessionStorage.setItem(keyOf(userId, ticketId), JSON.stringify(draft));
    else sessionStorage.removeItem(keyOf(userId, ticketId));
  } catch {
    // Storage full or disabled: the draft lives as long as the composer, as it did before.
  }
}
