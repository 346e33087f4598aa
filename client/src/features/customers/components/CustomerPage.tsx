import type { Customer360Dto } from '../../../../../contracts/customers';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatDateTime } from '../../../lib/format';
import { DEFAULT_ROUTE, routeHref } from '../../../routes';
import { useCustomerOverview } from '../hooks/useCustomers';

const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

/** The customer 360: profile and subscription, its timeline, every ticket, every care email and journey step, satisfaction answers. */
export function CustomerPage({ customerId }: { customerId: string }) {
  const overview = useCustomerOverview(customerId);
  if (overview.isError) return <ErrorNotice error={overview.error} onRetry={() => void overview.refetch()} />;
  if (!overview.data) return <p className="muted">Loading the customer…</p>;
  return <CustomerOverview overview={overview.data} />;
}

function CustomerOverview({ overview }: { overview: Customer360Dto }) {
  const { customer } = overview;
  return (
    <div className="customer-360" data-testid="customer-360">
      <a className="back-link" href={routeHref({ page: 'customers' })}>
        ← Subscribers
      </a>
      <h1>{customer.name ?? customer.email}</h1>
      <div className="customer-360__grid">
        <section aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl className="facts">
            <dt>Email</dt>
            <dd>{customer.email}</dd>
            <dt>Subscription</dt>
            <dd className={`subscription--${customer.subscriptionStatus}`}>{customer.subscriptionStatus}</dd>
            <dt>Plan</dt>
            <dd>{customer.plan ?? '—'}</dd>
            <dt>Since</dt>
            <dd>{when(customer.subscriptionStartedAt)}</dd>
            <dt>Cycle</dt>
            <dd>
              {customer.currentCycle ?? '—'}
              {customer.skippedCycles > 0 && ` (${customer.skippedCycles} skipped in a row)`}
            </dd>
            <dt>Next renewal</dt>
            <dd>{when(customer.nextRenewalAt)}</dd>
            <dt>Lifetime value</dt>
            <dd>{money.format(customer.lifetimeValue)}</dd>
            <dt>Time zone</dt>
            <dd>{customer.timeZone ?? 'workspace default'}</dd>
            {customer.tags.length > 0 && (
              <>
                <dt>Tags</dt>
                <dd>{customer.tags.join(', ')}</dd>
              </>
            )}
            <dt>Care emails</dt>
            <dd>{overview.unsubscribedAt ? `unsubscribed ${when(overview.unsubscribedAt)}` : 'subscribed'}</dd>
          </dl>
        </section>

        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title">Subscription timeline</h2>
          {overview.subscriptionEvents.length === 0 ? (
            <p className="muted">No subscription events received.</p>
          ) : (
            <ol className="customer-360__list">
              {overview.subscriptionEvents.map((event) => (
                <li key={event.id}>
                  <strong>{event.type}</strong> <span className="muted">{when(event.occurredAt)}</span>
                </li>
              ))}
            </ol>
          )}
        </section>

        <section aria-labelledby="tickets-title">
          <h2 id="tickets-title">Tickets</h2>
          {overview.tickets.length === 0 ? (
            <p className="muted">No tickets.</p>
          ) : (
            <ul className="customer-360__list">
              {overview.tickets.map((ticket) => (
                <li key={ticket.id}>
                  <a href={routeHref({ ...DEFAULT_ROUTE, ticketId: ticket.id })}>
                    #{ticket.number} {ticket.subject}
                  </a>{' '}
                  <span className="muted">
                    {ticket.status} · {when(ticket.createdAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="care-title">
          <h2 id="care-title">Care emails</h2>
          {overview.careTouches.length === 0 ? (
            <p className="muted">No care emails.</p>
          ) : (
            <ul className="customer-360__list">
              {overview.careTouches.map((touch) => (
                <li key={touch.id}>
                  {touch.subject} <span className="muted">({touch.journeyName ?? 'deleted journey'})</span>
                  <span className="muted">
                    {' '}
                    · {touch.state} {when(touch.sentAt ?? touch.createdAt)}
                    {touch.repliedAt && ` · replied ${when(touch.repliedAt)}`}
                  </span>
                  {touch.error && <span className="form-error"> {touch.error}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="journeys-title">
          <h2 id="journeys-title">Journeys</h2>
          {overview.journeys.length === 0 ? (
            <p className="muted">Not in any journey.</p>
          ) : (
            <ul className="customer-360__list">
              {overview.journeys.map((journey) => (
                <li key={journey.enrollmentId}>
                  <a href={routeHref({ page: 'journey', journeyId: journey.journeyId })}>{journey.journeyName}</a>{' '}
                  <span className="muted">
                    {journey.state}
                    {journey.exitReason && ` (${journey.exitReason.replace(/_/g, ' ')})`} · entered {when(journey.enteredAt)}
                    {journey.nextDueAt && ` · next step ${when(journey.nextDueAt)}`}
                  </span>
                  <ol className="customer-360__steps">
                    {journey.steps.map((step) => (
                      <li key={step.stepId}>
                        {step.stepId} <span className="muted">{step.outcome === 'skipped' ? `skipped${typeof step.detail.reason === 'string' ? ` (${step.detail.reason.replace(/_/g, ' ')})` : ''}` : 'done'} · {when(step.createdAt)}</span>
                      </li>
                    ))}
                  </ol>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="satisfaction-title">
          <h2 id="satisfaction-title">Satisfaction</h2>
          {overview.satisfaction.length === 0 ? (
            <p className="muted">No answers yet.</p>
          ) : (
            <ul className="customer-360__list">
              {overview.satisfaction.map((answer) => (
                <li key={answer.id}>
                  <strong>{answer.score}/5</strong> {answer.comment && <q>{answer.comment}</q>} <span className="muted">{when(answer.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
