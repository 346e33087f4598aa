import type { SubscriptionEvent } from '../../../contracts/customers';
import { DEMO_FIRST_NAMES, DEMO_LAST_NAMES } from './demo-data';

const DAY = 86_400_000;
const CYCLE_DAYS = 30;
const PLANS = [
  { name: 'Espresso lover · 2 bags/month', price: 29.9 },
  { name: 'Filter · 1 bag/month', price: 16.5 },
  { name: 'Office · 5 bags/month', price: 69 },
] as const;
const VOLUNTARY_REASONS = ['Too much coffee piling up', 'Too expensive', 'Moving abroad', 'Not the taste I hoped for', 'Switching to a local roaster'];

export interface DemoSubscriber {
  email: string;
  name: string;
  events: SubscriptionEvent[];
  /** When they wrote in during their first cycle, if they did. */
  firstCycleTicketAt: Date | null;
}

/**
 * A year of a coffee subscription business, true to the story the care pages tell: more subscribers starting each
 * month, about a third writing in during their first cycle, and those churning at about twice the rate in their
 * first three months; a quarter of cancellations are failed payments, some cancelled customers come back.
 */
export function demoSubscribers(random: () => number, now: Date, count: number): DemoSubscriber[] {
  const subscribers: DemoSubscriber[] = [];
  for (let index = 0; index < count; index++) {
    const first = DEMO_FIRST_NAMES[index % DEMO_FIRST_NAMES.length];
    const last = DEMO_LAST_NAMES[Math.floor(random() * DEMO_LAST_NAMES.length)];
    const email = (index < DEMO_FIRST_NAMES.length ? `${first}.${last}@example.com` : `${first}.${last}.${index}@example.com`).toLowerCase();
    const plan = PLANS[Math.floor(random() * PLANS.length)];
    // The business grows: later months see more starts.
    const startedDaysAgo = Math.floor(395 * random() ** 0.75) + 2;
    let at = new Date(now.getTime() - startedDaysAgo * DAY + Math.floor(random() * 10) * 3_600_000);
    const writesInEarly = random() < 0.33;
    const wroteAt = new Date(at.getTime() + (2 + Math.floor(random() * 20)) * DAY);
    // History only (older than a month): the last month of the inbox is the demo conversations.
    const firstCycleTicketAt = writesInEarly && wroteAt.getTime() < now.getTime() - 31 * DAY ? wroteAt : null;
    const events: SubscriptionEvent[] = [];
    const event = (type: SubscriptionEvent['type'], when: Date, extra: Partial<SubscriptionEvent> = {}) =>
      events.push({ id: `demo_${index}_${events.length}`, type, occurredAt: when.toISOString(), customer: { email, name: `${first} ${last}`, externalId: `cus_${1000 + index}` }, subscription: {}, ...extra });
    event('created', at, { subscription: { plan: plan.name, cycle: 1, amount: plan.price, currency: 'EUR', nextRenewalAt: new Date(at.getTime() + CYCLE_DAYS * DAY).toISOString() } });
    let cycle = 1;
    let active = true;
    for (;;) {
      const next = new Date(at.getTime() + CYCLE_DAYS * DAY);
      if (next > now) break;
      if (active) {
        const monthlyChurn = cycle <= 3 ? (writesInEarly ? 0.16 : 0.07) : 0.035;
        if (random() < monthlyChurn) {
          const involuntary = random() < 0.25;
          const when = new Date(at.getTime() + Math.floor(random() * CYCLE_DAYS) * DAY);
          event('cancelled', when, {
            subscription: { nextRenewalAt: null },
            cancellation: involuntary ? { kind: 'involuntary', reason: 'Card declined' } : { kind: 'voluntary', reason: VOLUNTARY_REASONS[Math.floor(random() * VOLUNTARY_REASONS.length)] },
          });
          active = false;
          at = when;
          continue;
        }
        cycle += 1;
        const skips = random() < 0.06;
        event(skips ? 'skipped' : 'renewed', next, skips ? {} : { subscription: { cycle, amount: plan.price, nextRenewalAt: new Date(next.getTime() + CYCLE_DAYS * DAY).toISOString() } });
        at = next;
      } else {
        if (random() >= 0.12) break;
        const back = new Date(at.getTime() + (20 + Math.floor(random() * 40)) * DAY);
        if (back > now) break;
        event('reactivated', back, { subscription: { amount: plan.price, nextRenewalAt: new Date(back.getTime() + CYCLE_DAYS * DAY).toISOString() } });
        active = true;
        at = back;
      }
    }
    subscribers.push({ email, name: `${first} ${last}`, events, firstCycleTicketAt });
  }
  return subscribers;
}

const NPS_COMMENTS = {
  promoters: ['Best coffee I have had delivered', 'Love the roasts, and skipping a month is easy', 'Great beans, friendly people', 'My office swears by it'],
  passives: ['Good coffee, delivery could be faster', 'Nice, but I would like more choice of origins', 'Fine, a bit pricey'],
  detractors: ['Two bags arrived stale', 'The box came crushed twice', 'Too expensive for what it is', 'Hard to reach anyone when my delivery went wrong'],
} as const;

export interface DemoNpsAnswer {
  email: string;
  askedAt: Date;
  answeredAt: Date;
  score: number;
  comment: string | null;
}

/**
 * The day-90 NPS survey as the demo year answered it: about half of those still subscribed on day 90 answer within
 * a few days; those who wrote in during their first cycle are less keen (fewer promoters, more detractors).
 */
export function demoNpsAnswers(random: () => number, now: Date, subscribers: DemoSubscriber[]): DemoNpsAnswer[] {
  const answers: DemoNpsAnswer[] = [];
  for (const subscriber of subscribers) {
    const started = new Date(subscriber.events[0].occurredAt);
    const askedAt = new Date(started.getTime() + 90 * DAY);
    const answeredAt = new Date(askedAt.getTime() + (1 + Math.floor(random() * 4)) * DAY);
    if (answeredAt > now || random() >= 0.5) continue;
    const last = subscriber.events.filter((event) => new Date(event.occurredAt) <= askedAt).at(-1);
    if (last?.type === 'cancelled') continue;
    const roll = random();
    const [promoter, passive] = subscriber.firstCycleTicketAt ? [0.3, 0.6] : [0.6, 0.88];
    const group = roll < promoter ? 'promoters' : roll < passive ? 'passives' : 'detractors';
    const score = group === 'promoters' ? 9 + Math.floor(random() * 2) : group === 'passives' ? 7 + Math.floor(random() * 2) : Math.floor(random() * 7);
    const comments = NPS_COMMENTS[group];
    const comment = random() < 0.4 ? comments[Math.floor(random() * comments.length)] : null;
    answers.push({ email: subscriber.email, askedAt, answeredAt, score, comment });
  }
  return answers;
}
