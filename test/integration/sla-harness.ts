/** What the SLA integration tests share: a clock they move by hand and ticket steps as ingestion and agents take them. */
import type { INestApplication } from '@nestjs/common';
import type { TicketPriority, TicketStatus } from '../../contracts/domain';
import type { CalendarDto, CreateCalendarRequest, CreatePolicyRequest, SlaPolicyDto, TicketSlaDto } from '../../contracts/sla';
import { Clock } from '../../server/src/common/clock';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import type { TestApp } from '../support/app';
import { createTicket, type TicketFixture } from '../support/fixtures';
import { publish, reactions } from '../support/events';

export class ManualClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = new Date(iso);
  }
}

const NINE_TO_FIVE_WITH_LUNCH = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];
/** Monday to Friday, 09:00–12:00 and 13:00–17:00. */
export function weekdays(intervals = NINE_TO_FIVE_WITH_LUNCH): CreateCalendarRequest['weekly'] {
  return { 1: intervals, 2: intervals, 3: intervals, 4: intervals, 5: intervals, 6: [], 7: [] };
}

export interface TicketSteps {
  /** Opens a ticket as ingestion does (ticket + first customer message, then `ticket.created`). */
  open(fixture: TicketFixture & { priority?: TicketPriority; tags?: string[] }): Promise<string>;
  /** An agent's change through the tickets service, as the API makes it. */
  update(ticketId: string, changes: { status?: TicketStatus; priority?: TicketPriority; teamId?: string | null; tags?: string[] }): Promise<void>;
  /** A message as ingestion (inbound) or the reply composer (outbound, with its author) stores it. */
  message(ticketId: string, direction: 'inbound' | 'outbound', authorId?: string): Promise<void>;
  sla(ticketId: string): Promise<TicketSlaDto>;
  timeline(ticketId: string): Promise<{ type: string; data: Record<string, unknown>; createdAt: string }[]>;
}

export function ticketSteps(t: TestApp, clock: ManualClock, token: () => Promise<string>): TicketSteps {
  const app: INestApplication = t.app;
  const tickets = app.get(TicketsService);
  const settled = () => reactions(app);
  const system = { type: 'system' as const, id: null };
  return {
    async open({ priority, tags, ...fixture }) {
      const ticket = await createTicket(app, { createdAt: clock.now(), ...fixture });
      if (priority || tags) {
        await app.get(TicketRepository).transaction(async (manager) => tickets.applyChanges(ticket, { priority, tags }, system, manager));
      }
      await publish(app, [{ name: 'ticket.created', payload: { ticketId: ticket.id } }]);
      await settled();
      return ticket.id;
    },
    async update(ticketId, changes) {
      await tickets.update(ticketId, changes, system);
      await settled();
    },
    async message(ticketId, direction, authorId) {
      const repository = app.get(TicketRepository);
      const message = await repository.transaction(async (manager) => {
        const ticket = await repository.findForUpdate(ticketId, manager);
        if (!ticket) throw new Error(`no ticket ${ticketId}`);
        return tickets.appendMessage(ticket, { direction, authorId: authorId ?? null, bodyText: `${direction} message` }, manager);
      });
      await publish(app, [{ name: 'message.created', payload: { ticketId, messageId: message.id } }]);
      await settled();
    },
    async sla(ticketId) {
      const response = await t.http.get(`/api/tickets/${ticketId}/sla`).auth(await token(), { type: 'bearer' });
      expect(response.status).toBe(200);
      return response.body as TicketSlaDto;
    },
    async timeline(ticketId) {
      const response = await t.http.get(`/api/tickets/${ticketId}`).auth(await token(), { type: 'bearer' });
      expect(response.status).toBe(200);
      return (response.body as { events: Awaited<ReturnType<TicketSteps['timeline']>> }).events;
    },
  };
}

/** Logs in again whenever the clock has moved since the last login, so jumps of months never meet an expired session. */
export function freshLogin(t: TestApp, clock: ManualClock, email?: string, password?: string): () => Promise<string> {
  let session: { token: string; at: number } | null = null;
  return async () => {
    if (session?.at !== clock.now().getTime()) session = { token: await t.login(email, password), at: clock.now().getTime() };
    return session.token;
  };
}

/** Waits for work done by the job queue (escalations, recomputes), polling for what a user would see. */
export async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function createCalendar(t: TestApp, token: string, calendar: CreateCalendarRequest): Promise<CalendarDto> {
  const response = await t.http.post('/api/sla/calendars').auth(token, { type: 'bearer' }).send(calendar);
  expect(response.status).toBe(201);
  return response.body as CalendarDto;
}

export async function createPolicy(t: TestApp, token: string, policy: CreatePolicyRequest): Promise<SlaPolicyDto> {
  const response = await t.http.post('/api/sla/policies').auth(token, { type: 'bearer' }).send(policy);
  expect(response.status).toBe(201);
  return response.body as SlaPolicyDto;
}

/** Due times by kind, e.g. { first_reply: '2026-01-12T11:00:00.000Z' }, for the open or latest target of each kind. */
export function dueTimes(sla: TicketSlaDto): Record<string, string | null> {
  return Object.fromEntries(sla.targets.map((target) => [target.kind, target.dueAt]));
}
