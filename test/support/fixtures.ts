import type { INestApplication } from '@nestjs/common';
import type { Ticket } from '../../server/src/tickets/ticket.entity';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { CustomerRepository } from '../../server/src/customers/customer.repository';

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
