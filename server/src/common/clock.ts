/** Everything time-related takes this clock, so tests can run months of SLA and journey time in seconds. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
