import { useState } from 'react';
import type { CustomerDto, UserDto } from '../../../../../contracts/api';
import { canWriteCustomers, type Customer360Dto } from '../../../../../contracts/customers';
import { errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatDateTime, formatMoney } from '../../../lib/format';
import { DEFAULT_ROUTE, routeHref } from '../../../routes';
import { useCustomerOverview, useUpdateCustomer } from '../hooks/useCustomers';
import { SUBSCRIPTION_LABELS } from './SubscribersTable';

const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

/**
 * The customer 360: profile and subscription, its timeline, every ticket (those the viewer may read), every care
 * email and journey step, satisfaction answers. Everyone may open it; only leads, care owners and admins edit.
 */
export function CustomerPage({ customerId, user }: { customerId: string; user: UserDto }) {
  const overview = useCustomerOverview(customerId);
  if (overview.isError) return <ErrorNotice error={overview.error} onRetry={() => void overview.refetch()} />;
  if (!overview.data) return <p className="muted">Loading the customer…</p>;
  return <CustomerOverview overview={overview.data} canEdit={canWriteCustomers(user.role)} />;
}

function CustomerOverview({ overview, canEdit }: { overview: Customer360Dto; canEdit: boolean }) {
  const { customer } = overview;
  const [editing, setEditing] = useState(false);
  return (
    <div className="customer-360" data-testid="customer-360">
      <a className="back-link" href={routeHref({ page: 'customers', params: {} })}>
        ← Subscribers
      </a>
      <div className="journeys__heading">
        <h1>{customer.name ?? customer.email}</h1>
        {canEdit && !editing && (
          <button type="button" className="button" onClick={() => setEditing(true)}>
            Edit profile
          </button>
        )}
      </div>
      {!canEdit && <p className="muted" data-testid="read-only-note">You can read this customer; leads and care owners change their details.</p>}
      {editing && <ProfileForm customer={customer} onDone={() => setEditing(false)} />}
      <div className="customer-360__grid">
        <section aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl className="facts">
            <dt>Email</dt>
            <dd>{customer.email}</dd>
            <dt>Subscription</dt>
            <dd className={`subscription--${customer.subscriptionStatus}`}>{SUBSCRIPTION_LABELS[customer.subscriptionStatus]}</dd>
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
            <dd data-testid="customer-360-lifetime-value">{formatMoney(customer.lifetimeValue, customer.currency)}</dd>
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
                  <strong>{answer.kind === 'nps' ? `NPS ${answer.score}/10` : `${answer.score}/5`}</strong> {answer.comment && <q>{answer.comment}</q>} <span className="muted">{when(answer.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

/** The details a person may correct by hand; the subscription itself comes from the shop's events and imports. */
function ProfileForm({ customer, onDone }: { customer: CustomerDto; onDone: () => void }) {
  const [draft, setDraft] = useState({ name: customer.name ?? '', email: customer.email, timeZone: customer.timeZone ?? '', currency: customer.currency ?? '' });
  const update = useUpdateCustomer(customer.id);
  return (
    <form
      className="customer-360__edit"
      aria-label="Edit profile"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({ name: draft.name.trim() || null, email: draft.email, timeZone: draft.timeZone.trim() || null, currency: draft.currency.trim() || null }, { onSuccess: onDone });
      }}
    >
      <label className="field">
        <span className="field__label">Name</span>
        <input value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />
      </label>
      <label className="field">
        <span className="field__label">Email</span>
        <input type="email" required value={draft.email} onChange={(event) => setDraft({ ...draft, email: event.target.value })} />
      </label>
      <label className="field">
        <span className="field__label">Time zone (the care settings’ default when empty)</span>
        <input value={draft.timeZone} placeholder="Europe/Paris" onChange={(event) => setDraft({ ...draft, timeZone: event.target.value })} />
      </label>
      <label className="field">
        <span className="field__label">Currency of the lifetime value</span>
        <input value={draft.currency} placeholder="EUR" maxLength={3} onChange={(event) => setDraft({ ...draft, currency: event.target.value.toUpperCase() })} />
      </label>
      <span className="customer-360__edit-actions">
        <button type="submit" className="button button--primary" disabled={update.isPending}>
          Save
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </span>
      {update.isError && <p className="form-error">{errorMessage(update.error)}</p>}
    </form>
  );
}
