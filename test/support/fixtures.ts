import type { INestApplication } from '@nestjs/common';
import type { Ticket } from '../../server/src/tickets/ticket.entity';
import { SearchIndexRepository } from '../../server/src/tickets/search-index.repository';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { CustomerRepository } from '../../server/src/customers/customer.repository';
import { OutboxService } from '../../server/src/outbox/outbox.service';

export interface TicketFixture {
  subject: string;
  body?: string;
  from?: string;
  teamId?: string | null;
  assigneeId?: string | null;
  status?: Ticket['status'];
  createdAt?: Date;
}

/** Creates a ticket with one inbound message through the real services, as ingestion will. */
export async function createTicket(app: INestApplication, fixture: TicketFixture): Promise<Ticket> {
  const tickets = app.get(TicketsService);
  const repository = app.get(TicketRepository);
  const customers = app.get(CustomerRepository);
  return repository.transaction(async (manager) => {
    const from = fixture.from ?? 'customer@example.com';
    const customer = await customers.upsertByEmail(from, null, manager);
    const ticket = await tickets.openTicket(
      {
        subject: fixture.subject,
        customerId: customer.id,
        teamId: fixture.teamId ?? null,
        assigneeId: fixture.assigneeId ?? null,
        status: fixture.status ?? 'new',
        createdAt: fixture.createdAt,
      },
      manager,
    );
    await tickets.appendMessage(ticket, { direction: 'inbound', fromAddress: from, bodyText: fixture.body ?? fixture.subject, createdAt: fixture.createdAt }, manager);
    return ticket;
  });
}

/** Folds queued messages into search, as the search-index listener does after an event (createTicket raises none). */
export function indexForSearch(app: INestApplication): Promise<number> {
  return app.get(SearchIndexRepository).indexQueued();
}

/**
 * A ticket arriving as ingestion makes it: opened awaiting routing, with its first message, and
 * `ticket.created` + `message.created` recorded in the outbox with it and delivered after the commit.
 */
export async function receiveTicket(app: INestApplication, fixture: Omit<TicketFixture, 'teamId' | 'assigneeId' | 'status'>): Promise<Ticket> {
  const tickets = app.get(TicketsService);
  const customers = app.get(CustomerRepository);
  return app.get(OutboxService).transaction(async (manager, raise) => {
    const from = fixture.from ?? 'customer@example.com';
    const customer = await customers.upsertByEmail(from, null, manager);
    const { ticket, message } = await tickets.openTicketWithMessage(
      { subject: fixture.subject, customerId: customer.id, awaitingRouting: true },
      { direction: 'inbound', fromAddress: from, bodyText: fixture.body ?? fixture.subject, bodyHtml: `<p>${fixture.body ?? fixture.subject}</p>` },
      manager,
    );
    raise({ name: 'ticket.created', payload: { ticketId: ticket.id } });
    raise({ name: 'message.created', payload: { ticketId: ticket.id, messageId: message.id } });
    return ticket;
  });
}
