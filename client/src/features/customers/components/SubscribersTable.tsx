import { useEffect, useState } from 'react';
import type { CustomerDto } from '../../../../../contracts/api';
import type { SortOrder, SubscriberSort } from '../../../../../contracts/customers';
import type { SubscriptionStatus } from '../../../../../contracts/domain';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatDate, formatMoney } from '../../../lib/format';
import { useDebouncedValue } from '../../../lib/hooks';
import { navigate, routeHref } from '../../../routes';
import { useSubscriberPlans, useSubscribers } from '../hooks/useCustomers';

export const SUBSCRIPTION_LABELS: Record<SubscriptionStatus, string> = { none: 'No subscription', active: 'Active', paused: 'Paused', cancelled: 'Cancelled' };

interface Column {
  sort: SubscriberSort;
  label: string;
  /** The order of the first click: the biggest first where that is what one looks for. */
  firstOrder: SortOrder;
  cell: (customer: CustomerDto) => string;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { sort: 'name', label: 'Customer', firstOrder: 'asc', cell: (customer) => customer.name ?? customer.email },
  { sort: 'status', label: 'Status', firstOrder: 'asc', cell: (customer) => SUBSCRIPTION_LABELS[customer.subscriptionStatus] },
  { sort: 'plan', label: 'Plan', firstOrder: 'asc', cell: (customer) => customer.plan ?? '—' },
  { sort: 'cycle', label: 'Cycle', firstOrder: 'asc', cell: (customer) => (customer.currentCycle === null ? '—' : String(customer.currentCycle)), numeric: true },
  { sort: 'next_renewal', label: 'Next renewal', firstOrder: 'asc', cell: (customer) => (customer.nextRenewalAt ? formatDate(customer.nextRenewalAt) : '—') },
  { sort: 'lifetime_value', label: 'Lifetime value', firstOrder: 'desc', cell: (customer) => formatMoney(customer.lifetimeValue, customer.currency), numeric: true },
  { sort: 'started', label: 'Since', firstOrder: 'desc', cell: (customer) => (customer.subscriptionStartedAt ? formatDate(customer.subscriptionStartedAt) : '—') },
];

/** Cycle filters: the first cycles one by one (where churn happens), then bands. */
const CYCLE_BANDS = [
  { label: 'Cycle 1', min: 1, max: 1 },
  { label: 'Cycle 2', min: 2, max: 2 },
  { label: 'Cycle 3', min: 3, max: 3 },
  { label: 'Cycles 4–6', min: 4, max: 6 },
  { label: 'Cycles 7–12', min: 7, max: 12 },
  { label: 'Cycle 13 or later', min: 13, max: null },
] as const;

const count = new Intl.NumberFormat();

/**
 * Every subscriber, as a table sorted, filtered and paged by the server (fast at 100,000 rows). The URL holds
 * its state (search, filters, sort, page), so a link, a reload or Back shows the same rows; a row opens the customer.
 */
export function SubscribersTable({ params }: { params: Record<string, string> }) {
  const sort = (params.sort ?? 'name') as SubscriberSort;
  const order = (params.order ?? 'asc') as SortOrder;
  const [search, setSearch] = useState(params.q ?? '');
  const settledSearch = useDebouncedValue(search, 300);
  const page = useSubscribers(params);
  const plans = useSubscriberPlans();

  /** New filters or sort start again at the first page. */
  const change = (changes: Record<string, string>, options: { replace?: boolean } = {}) => navigate({ page: 'customers', params: { ...withoutCursor(params), ...changes } }, options);
  useEffect(() => {
    if (settledSearch !== (params.q ?? '')) change({ q: settledSearch }, { replace: true });
    // Only a settled search changes the URL; the URL changing (Back) does not run it again.
  }, [settledSearch]);

  const sortBy = (column: Column) => change({ sort: column.sort, order: column.sort === sort ? (order === 'asc' ? 'desc' : 'asc') : column.firstOrder });
  const cycleBand = CYCLE_BANDS.findIndex((band) => String(band.min) === params.cycleMin && (band.max === null ? params.cycleMax === undefined : String(band.max) === params.cycleMax));
  const filtered = Boolean(params.q || params.status || params.plan || params.cycleMin || params.cycleMax);

  return (
    <div className="subscribers-table" data-testid="subscribers-table">
      <div className="subscribers-table__filters" role="search">
        <input type="search" aria-label="Search subscribers" placeholder="Name, email or external id" value={search} onChange={(event) => setSearch(event.target.value)} />
        <select aria-label="Status" value={params.status ?? ''} onChange={(event) => change({ status: event.target.value })}>
          <option value="">Any subscription</option>
          {(['active', 'paused', 'cancelled', 'none'] as const).map((status) => (
            <option key={status} value={status}>
              {SUBSCRIPTION_LABELS[status]}
            </option>
          ))}
        </select>
        <select aria-label="Plan" value={params.plan ?? ''} onChange={(event) => change({ plan: event.target.value })}>
          <option value="">Any plan</option>
          {(plans.data ?? []).map((plan) => (
            <option key={plan.plan} value={plan.plan}>
              {plan.plan} ({count.format(plan.customers)})
            </option>
          ))}
        </select>
        <select
          aria-label="Cycle"
          value={cycleBand}
          onChange={(event) => {
            const band = CYCLE_BANDS[Number(event.target.value)] as (typeof CYCLE_BANDS)[number] | undefined;
            change({ cycleMin: band ? String(band.min) : '', cycleMax: band?.max ? String(band.max) : '' });
          }}
        >
          <option value={-1}>Any cycle</option>
          {CYCLE_BANDS.map((band, index) => (
            <option key={band.label} value={index}>
              {band.label}
            </option>
          ))}
        </select>
        <select className="subscribers-table__sort" aria-label="Sort by" value={`${sort}:${order}`} onChange={(event) => change({ sort: event.target.value.split(':')[0], order: event.target.value.split(':')[1] })}>
          {COLUMNS.flatMap((column) =>
            (['asc', 'desc'] as const).map((direction) => (
              <option key={`${column.sort}:${direction}`} value={`${column.sort}:${direction}`}>
                {column.label} {direction === 'asc' ? '↑' : '↓'}
              </option>
            )),
          )}
        </select>
        {filtered && (
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setSearch('');
              navigate({ page: 'customers', params: { sort, order } });
            }}
          >
            Clear filters
          </button>
        )}
      </div>

      {page.isError && <ErrorNotice error={page.error} onRetry={() => void page.refetch()} />}
      {page.data && (
        <>
          <p className="muted subscribers-table__count" data-testid="subscribers-count">
            {count.format(page.data.total)} {page.data.total === 1 ? 'customer' : 'customers'}
            {/* The previous page stays on screen while new filters load: it says "match" only once it is their answer. */}
            {filtered && !page.isPlaceholderData ? ' match' : ''}
          </p>
          <table className="subscribers-table__table" aria-busy={page.isFetching}>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th key={column.sort} scope="col" aria-sort={column.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : 'none'} className={column.numeric ? 'numeric' : undefined}>
                    <button type="button" className="subscribers-table__sort-button" onClick={() => sortBy(column)}>
                      {column.label}
                      <span aria-hidden="true">{column.sort === sort ? (order === 'asc' ? ' ↑' : ' ↓') : ''}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((customer) => (
                <tr key={customer.id} data-testid="subscriber-row" onClick={(event) => (event.target as HTMLElement).closest('a') || navigate({ page: 'customer', customerId: customer.id })}>
                  {COLUMNS.map((column) => (
                    <td key={column.sort} data-label={column.label} className={column.numeric ? 'numeric' : undefined}>
                      {column.sort === 'name' ? (
                        <>
                          <a href={routeHref({ page: 'customer', customerId: customer.id })}>{column.cell(customer)}</a>
                          {customer.name && <span className="muted subscribers-table__email">{customer.email}</span>}
                        </>
                      ) : column.sort === 'status' ? (
                        <span className={`subscription--${customer.subscriptionStatus}`}>{column.cell(customer)}</span>
                      ) : (
                        column.cell(customer)
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {page.data.items.length === 0 && <p className="muted">{filtered ? 'No subscriber matches these filters.' : 'No subscribers yet: import a CSV or connect the shop’s webhook below.'}</p>}
          <nav className="subscribers-table__pages" aria-label="Pages">
            <button type="button" className="button button--small" disabled={!page.data.prev} onClick={() => page.data?.prev && navigate({ page: 'customers', params: { ...withoutCursor(params), before: page.data.prev } })}>
              ← Previous
            </button>
            <button type="button" className="button button--small" disabled={!page.data.next} onClick={() => page.data?.next && navigate({ page: 'customers', params: { ...withoutCursor(params), after: page.data.next } })}>
              Next →
            </button>
          </nav>
        </>
      )}
      {page.isPending && <p className="muted">Loading subscribers…</p>}
    </div>
  );
}

function withoutCursor(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'after' && key !== 'before'));
}
