/** The admin's health page of the event pipeline (`#/system`): each listener's delivery state and its dead letters. */

export interface ListenerHealthDto {
  /** The listener's stable name (routing, sla, realtime …). */
  name: string;
  events: string[];
  /** Events owed and not yet tried (normally handled within a second). */
  pending: number;
  /** Events whose delivery failed and waits for its next try. */
  retrying: number;
  /** Events given up on after every try: they wait for an admin's retry. */
  dead: number;
  /** Age in seconds of the oldest event still owed (dead letters included), null when none is. */
  oldestAgeSeconds: number | null;
  /** The listener's latest error, in its own words. */
  lastError: string | null;
  lastFailedAt: string | null;
}

export interface DeadLetterDto {
  listener: string;
  eventId: string;
  event: string;
  payload: Record<string, unknown>;
  attempts: number;
  error: string | null;
  recordedAt: string;
  deadAt: string;
}

export interface EventPipelineHealthDto {
  listeners: ListenerHealthDto[];
  /** The newest dead letters (at most 100). */
  deadLetters: DeadLetterDto[];
}

export interface RetryDeadLettersDto {
  listener: string;
  retried: number;
}
