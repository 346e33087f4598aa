/** How long a seq is remembered: replays repeat events from a few seconds before `since`. */
const REMEMBER_MS = 60_000;

/**
 * The client's side of the sync contract (contracts/events.ts): the highest seq seen, and the seqs
 * applied in the last minute so that a replayed or late push is applied once.
 */
export class EventLedger {
  private highest: number | null = null;
  private readonly applied = new Map<number, number>();

  /** The seq to sync from; null before the first baseline. */
  get since(): number | null {
    return this.highest;
  }

  /** Starts from the server's newest seq (first connect, or after a reset). */
  baseline(latest: number): void {
    this.highest = Math.max(this.highest ?? 0, latest);
  }

  /** True the first time a seq is offered; false for a repeat, which must be skipped. */
  accept(seq: number, now = Date.now()): boolean {
    for (const [seen, at] of this.applied) {
      if (now - at <= REMEMBER_MS) break;
      this.applied.delete(seen);
    }
    if (this.applied.has(seq)) return false;
    this.applied.set(seq, now);
    if (this.highest === null || seq > this.highest) this.highest = seq;
    return true;
  }
}
