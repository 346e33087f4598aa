import { formatDateTime, formatMoney } from '../../../lib/format';
import { routeHref } from '../../../routes';
import { SUBSCRIPTION_LABELS } from '../../customers/components/SubscribersTable';
import { useCustomer, useCustomerTickets } from '../hooks/useCustomer';
import { StatusBadge } from './TicketBadges';


/** Who wrote in: their subscription and their other tickets. */
export function CustomerPanel({ customerId, ticketId, viewId }: { customerId: string; ticketId: string; viewId: string }) {
  const customer = useCustomer(customerId);
  const tickets = useCustomerTickets(customerId);
  const others = (tickets.data?.items ?? []).filter((ticket) => ticket.id !== ticketId);
  if (!customer.data) return null;
  const { data } = customer;
  return (
    <section className="side-section" aria-label="Customer" data-testid="customer-panel">
      <h2 className="side-section__title">Customer</h2>
      <p className="customer__name">{data.name ?? data.email}</p>
      {data.name && <p className="muted customer__email">{data.email}</p>}
      <dl className="facts">
        <dt>Subscription</dt>
        <dd className={`subscription subscription--${data.subscriptionStatus}`} data-testid="customer-subscription">
          {SUBSCRIPTION_LABELS[data.subscriptionStatus]}
          {data.plan && ` · ${data.plan}`}
        </dd>
        {data.currentCycle !== null && (
          <>
            <dt>Cycle</dt>
            <dd>#{data.currentCycle}</dd>
          </>
        )}
        {data.nextRenewalAt && (
          <>
            <dt>Renews</dt>
            <dd>{formatDateTime(data.nextRenewalAt)}</dd>
          </>
        )}
        <dt>Lifetime value</dt>
        <dd data-testid="customer-lifetime-value">{formatMoney(data.lifetimeValue, data.currency)}</dd>
      </dl>
      {/* Everyone may open the customer page (agents read it without edit controls). */}
      <a href={routeHref({ page: 'customer', customerId })} data-testid="customer-page-link">
        Open the customer page
      </a>
      {others.length > 0 && (
        <>
          <h3 className="side-section__subtitle">Other tickets</h3>
          <ul className="customer__tickets">
            {others.map((ticket) => (
              <li key={ticket.id}>
                <a href={routeHref({ page: 'inbox', view: viewId, ticketId: ticket.id })}>
                  #{ticket.number} {ticket.subject}
                </a>{' '}
                <StatusBadge status={ticket.status} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
