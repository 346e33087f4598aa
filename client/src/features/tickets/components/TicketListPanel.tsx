import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { TICKET_SORTS, type TicketSort } from '../../../../../contracts/api';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useDebouncedValue, useNow } from '../../../lib/hooks';
import { navigate, routeHref } from '../../../routes';
import { useShortcuts } from '../../keyboard/hooks/useShortcuts';
import type { InboxView } from '../../views/hooks/useViews';
import { useTagColors, useUserNames } from '../../workspace/hooks/useWorkspace';
import { useTicketList } from '../hooks/useTicketList';
import { BulkActions } from './BulkActions';
import { TicketRow } from './TicketRow';

const SEARCH_DELAY_MS = 300;
/** A first guess at a row's height; rows are measured once drawn. */
const ESTIMATED_ROW_PX = 104;
/** Start loading the next page this many rows before the end, so scrolling never waits. */
const PREFETCH_ROWS = 15;

const SORT_LABELS: Record<TicketSort, string> = {
  last_activity_desc: 'Latest activity',
  last_activity_asc: 'Oldest activity',
  created_desc: 'Newest',
  created_asc: 'Oldest',
  sla_due_asc: 'SLA due first',
};

/** A view's own text filter and the agent's search both apply. */
function combinedSearch(viewText: string | undefined, search: string): string | undefined {
  return [viewText, search].filter(Boolean).join(' ') || undefined;
}

/** `banner` shows above the list (a report's drill-down says what the list is and links back). */
export function TicketListPanel({ view, selectedTicketId, banner }: { view: InboxView; selectedTicketId: string | null; banner?: ReactNode }) {
  const [searchText, setSearchText] = useState('');
  // The SLA views are worked in due order; the others by activity. Either can be changed.
  const [sort, setSort] = useState<TicketSort>(view.filter.sla ? 'sla_due_asc' : 'last_activity_desc');
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const [cursorId, setCursorId] = useState<string | null>(selectedTicketId);
  const search = useDebouncedValue(searchText.trim(), SEARCH_DELAY_MS);
  const q = combinedSearch(view.filter.q, search);
  // A drill-down lists exactly the tickets behind the report's number, in the report's order: no search or sort of its own.
  const list = useTicketList(view.report ? { report: view.report } : { ...view.filter, sort, ...(q ? { q } : { q: undefined }) });
  const now = useNow(60_000);
  const tagColors = useTagColors();
  const userNames = useUserNames();
  const tickets = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const scrollElement = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  const virtualizer = useVirtualizer({
    count: tickets.length,
    getScrollElement: () => scrollElement.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: (index) => tickets[index].id,
    overscan: 6,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastDrawnIndex = virtualRows.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastDrawnIndex >= tickets.length - PREFETCH_ROWS) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastDrawnIndex, tickets.length]);

  const ticketHref = (ticketId: string) => routeHref({ page: 'inbox', view: view.id, ticketId });
  const cursorIndex = tickets.findIndex((ticket) => ticket.id === (cursorId ?? selectedTicketId));
  const moveCursor = (step: number) => {
    if (tickets.length === 0) return;
    const index = Math.min(tickets.length - 1, Math.max(0, cursorIndex === -1 ? 0 : cursorIndex + step));
    setCursorId(tickets[index].id);
    virtualizer.scrollToIndex(index, { align: 'auto' });
    // While reading, j/k go straight to the next ticket.
    if (selectedTicketId) navigate({ page: 'inbox', view: view.id, ticketId: tickets[index].id });
  };
  const toggleSelected = (ticketId: string) =>
    setSelection((current) => {
      const next = new Set(current);
      if (!next.delete(ticketId)) next.add(ticketId);
      return next;
    });
  const cursorTicket = cursorIndex === -1 ? undefined : tickets[cursorIndex];
  useShortcuts({
    j: () => moveCursor(1),
    k: () => moveCursor(-1),
    Enter: () => cursorTicket && navigate({ page: 'inbox', view: view.id, ticketId: cursorTicket.id }),
    x: () => cursorTicket && toggleSelected(cursorTicket.id),
    '/': () => searchInput.current?.focus(),
  });
  const selectedTickets = tickets.filter((ticket) => selection.has(ticket.id)).map((ticket) => ticket.id);

  return (
    <section className="ticket-list-panel" aria-label={`${view.label} tickets`}>
      {banner}
      {!view.report && (
        <div className="ticket-list-panel__toolbar">
          <input
            ref={searchInput}
            type="search"
            placeholder="Search tickets  ( / )"
            aria-label="Search tickets"
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            onKeyDown={(event) => event.key === 'Escape' && event.currentTarget.blur()}
            data-testid="ticket-search"
          />
          <select aria-label="Sort" value={sort} onChange={(event) => setSort(event.target.value as TicketSort)} data-testid="ticket-sort">
            {TICKET_SORTS.map((option) => (
              <option key={option} value={option}>
                {SORT_LABELS[option]}
              </option>
            ))}
          </select>
        </div>
      )}
      {selectedTickets.length > 0 && <BulkActions ticketIds={selectedTickets} onClear={() => setSelection(new Set())} />}
      {list.isPending ? (
        <p className="ticket-list-panel__status muted">Loading tickets…</p>
      ) : list.isError ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : tickets.length === 0 ? (
        <p className="ticket-list-panel__status muted" data-testid="ticket-list-empty">
          {view.report ? 'No tickets behind this number (or none you may read).' : search ? 'No tickets match your search.' : 'No tickets here.'}
        </p>
      ) : (
        <div ref={scrollElement} className="ticket-list-panel__scroll" data-testid="ticket-list-scroll">
          <ul className="ticket-list" style={{ height: virtualizer.getTotalSize() }} data-testid="ticket-list" aria-rowcount={tickets.length}>
            {virtualRows.map((row) => {
              const ticket = tickets[row.index];
              return (
                <TicketRow
                  key={row.key}
                  ref={virtualizer.measureElement}
                  index={row.index}
                  offset={row.start}
                  ticket={ticket}
                  href={ticketHref(ticket.id)}
                  open={ticket.id === selectedTicketId}
                  highlighted={row.index === cursorIndex}
                  selected={selection.has(ticket.id)}
                  onToggleSelected={() => toggleSelected(ticket.id)}
                  now={now}
                  tagColors={tagColors}
                  assigneeName={ticket.assigneeId ? userNames.get(ticket.assigneeId) : undefined}
                />
              );
            })}
          </ul>
          {isFetchingNextPage && <p className="ticket-list-panel__status muted">Loading more…</p>}
        </div>
      )}
    </section>
  );
}
