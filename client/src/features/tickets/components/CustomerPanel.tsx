import type { SubscriptionStatus } from '../../../../../contracts/domain';
import { formatDateTime } from '../../../lib/format';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { routeHref } from '../../../routes';
import { useCustomer, useCustomerTickets } from '../hooks/useCustomer';
import { StatusBadge } from './TicketBadges';

const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const SUBSCRIPTION_LABELS: Record<SubscriptionStatus, string> = { none: 'No subscription', active: 'Active', paused: 'Paused', cancelled: 'Cancelled' };

/** Who wrote in: their subscription and their other tickets. */
export function CustomerPanel({ customerId, ticketId, viewId }: { customerId: string; ticketId: string; viewId: string }) {
  const customer = useCustomer(customerId);
  const me = useCurrentUser();
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
        <dd data-testid="customer-lifetime-value">{money.format(data.lifetimeValue)}</dd>
      </dl>
      {/* The customer page (journeys, care emails, subscription history) is the care team's. */}
      {(me.data?.role === 'care_owner' || me.data?.role === 'admin') && <a href={routeHref({ page: 'customer', customerId })}>Open the customer page</a>}
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
