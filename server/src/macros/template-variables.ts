import type { Customer } from '../customers/customer.entity';
import type { Ticket } from '../tickets/ticket.entity';
import type { TemplateVariables } from './template-renderer';

/** Everything a template can be rendered against; the agent is null when a rule renders it. */
export interface TemplateSubject {
  ticket: Ticket;
  customer: Customer | null;
  tags: string[];
  teamName: string | null;
  agent: { name: string; email: string } | null;
  mailbox: { name: string; address: string } | null;
}

/** Dates as YYYY-MM-DD: readable as they are, and Liquid's `date` filter still formats them. */
const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);
const firstName = (name: string | null) => name?.trim().split(/\s+/)[0] ?? null;

/** The variables of TEMPLATE_VARIABLES; a value that is unknown is null, so the preview can warn about it. */
export function templateVariables({ ticket, customer, tags, teamName, agent, mailbox }: TemplateSubject): TemplateVariables {
  return {
    ticket: {
      number: ticket.number,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      tags,
      team: teamName,
      created_at: day(ticket.createdAt),
    },
    customer: customer && {
      name: customer.name,
      first_name: firstName(customer.name),
      email: customer.email,
      subscription_status: customer.subscriptionStatus,
      cycle: customer.currentCycle,
      next_renewal: day(customer.nextRenewalAt),
      subscription_started_at: day(customer.subscriptionStartedAt),
      plan: customer.plan,
    },
    agent: agent && { name: agent.name, first_name: firstName(agent.name), email: agent.email },
    mailbox: mailbox && { name: mailbox.name, address: mailbox.address },
  };
}
