import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { MessageDto, TicketDetailDto, TicketEventDto, TicketPageDto, TicketSort, TicketSummaryDto, UserDto } from '../../../../../contracts/api';
import { authKeys } from '../../auth/api/auth.api';
import { ticketKeys } from './ticketKeys';
import type { TicketListFilter } from './tickets.api';

/**
 * Writes into the query cache shared by mutations and live updates, so a change shows the same way
 * whether this tab made it or the server pushed it. Lists are patched in place (membership decided
 * here from the filter) rather than refetched: a refetch of an infinite list reloads every loaded page.
 */

type TicketList = InfiniteData<TicketPageDto>;

function isNewer(incoming: TicketSummaryDto, cached: TicketSummaryDto): boolean {
  // A late push must not undo a newer PATCH answer.
  return incoming.updatedAt >= cached.updatedAt;
}

/** Whether the ticket belongs in a list with this filter; null when only the server can tell (search, SLA, a report's drill-down). */
export function matchesFilter(ticket: TicketSummaryDto, filter: TicketListFilter, currentUserId: string | undefined): boolean | null {
  if (isServerFiltered(filter)) return null;
  if (filter.status?.length && !filter.status.includes(ticket.status)) return false;
  if (filter.priority?.length && !filter.priority.includes(ticket.priority)) return false;
  if (filter.assignee !== undefined) {
    const wanted = filter.assignee === 'none' ? null : filter.assignee === 'me' ? currentUserId : filter.assignee;
    if (ticket.assigneeId !== wanted) return false;
  }
  if (filter.team !== undefined && ticket.teamId !== (filter.team === 'none' ? null : filter.team)) return false;
  if (filter.tag?.length && !filter.tag.some((tag) => ticket.tags.includes(tag))) return false;
  if (filter.mailbox !== undefined && ticket.mailboxId !== filter.mailbox) return false;
  if (filter.customer !== undefined && ticket.customer?.id !== filter.customer) return false;
  return true;
}

function isServerFiltered(filter: TicketListFilter): boolean {
  return filter.q !== undefined || filter.slaDueWithin !== undefined || filter.sla !== undefined || filter.report !== undefined;
}

/** Whether `a` is listed above `b` in this sort order (ties broken by id, as the server's keyset does). */
function listedBefore(a: TicketSummaryDto, b: TicketSummaryDto, sort: TicketSort): boolean {
  const [first, second] = sort.endsWith('desc') ? [b, a] : [a, b];
  const [firstTime, secondTime] = [sortTime(first, sort), sortTime(second, sort)];
  return firstTime !== secondTime ? firstTime < secondTime : first.id < second.id;
}

/** The time a sort orders by; a ticket without a running SLA target sorts after all that have one. */
function sortTime(ticket: TicketSummaryDto, sort: TicketSort): number {
  if (sort === 'sla_due_asc') return ticket.sla?.dueAt ? Date.parse(ticket.sla.dueAt) : Number.POSITIVE_INFINITY;
  return Date.parse(sort.startsWith('created') ? ticket.createdAt : ticket.lastActivityAt);
}

function findInList(data: TicketList, ticketId: string): TicketSummaryDto | undefined {
  for (const page of data.pages) {
    const found = page.items.find((item) => item.id === ticketId);
    if (found) return found;
  }
  return undefined;
}

function withoutTicket(data: TicketList, ticketId: string): TicketList {
  return { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== ticketId) })) };
}

/** Puts the ticket where the sort order says, if that place is within the pages loaded so far. */
function placeTicket(data: TicketList, ticket: TicketSummaryDto, sort: TicketSort): TicketList {
  const pages = withoutTicket(data, ticket.id).pages;
  for (const [pageIndex, page] of pages.entries()) {
    const index = page.items.findIndex((item) => listedBefore(ticket, item, sort));
    if (index === -1) continue;
    const items = [...page.items.slice(0, index), ticket, ...page.items.slice(index)];
    return { ...data, pages: pages.map((other, otherIndex) => (otherIndex === pageIndex ? { ...page, items } : other)) };
  }
  // Below everything loaded: it belongs here only if nothing more is to be loaded.
  const last = pages.at(-1);
  if (!last || last.nextCursor) return { ...data, pages };
  return { ...data, pages: [...pages.slice(0, -1), { ...last, items: [...last.items, ticket] }] };
}

function listFilter(queryKey: QueryKey): TicketListFilter {
  return queryKey[2] as TicketListFilter;
}

const LIST_REFRESH_DELAY_MS = 1000;
let listRefreshTimer: number | undefined;

/** Refetches server-filtered lists (search, SLA) once a burst of changes has passed. */
function refreshServerFilteredLists(queryClient: QueryClient): void {
  window.clearTimeout(listRefreshTimer);
  listRefreshTimer = window.setTimeout(() => {
    void queryClient.invalidateQueries({ queryKey: ticketKeys.lists(), predicate: (query) => isServerFiltered(listFilter(query.queryKey)) });
  }, LIST_REFRESH_DELAY_MS);
}

/** A new or changed ticket: the open ticket and every loaded list take it, entering or leaving lists by their filters. */
export function applyTicketSummary(queryClient: QueryClient, ticket: TicketSummaryDto): void {
  queryClient.setQueryData<TicketDetailDto>(ticketKeys.detail(ticket.id), (detail) => (detail && isNewer(ticket, detail) ? { ...detail, ...ticket } : detail));
  const currentUserId = queryClient.getQueryData<UserDto>(authKeys.me)?.id;
  let serverFiltered = false;
  for (const [queryKey, data] of queryClient.getQueriesData<TicketList>({ queryKey: ticketKeys.lists() })) {
    if (!data) continue;
    const cached = findInList(data, ticket.id);
    if (cached && !isNewer(ticket, cached)) continue;
    const filter = listFilter(queryKey);
    const matches = matchesFilter(ticket, filter, currentUserId);
    if (matches === null) serverFiltered = true;
    const next = matches === false ? withoutTicket(data, ticket.id) : matches === null && !cached ? data : placeTicket(data, ticket, filter.sort ?? 'last_activity_desc');
    queryClient.setQueryData<TicketList>(queryKey, next);
  }
  if (serverFiltered) refreshServerFilteredLists(queryClient);
  if (ticket.customer) applyToCustomerTickets(queryClient, ticket.customer.id, ticket);
}

/** The customer panel's "other tickets" follow live too: a changed one in place, a new one by refetching. */
function applyToCustomerTickets(queryClient: QueryClient, customerId: string, ticket: TicketSummaryDto): void {
  const key = ticketKeys.customerTickets(customerId);
  const page = queryClient.getQueryData<TicketPageDto>(key);
  if (!page) return;
  if (page.items.some((item) => item.id === ticket.id)) queryClient.setQueryData<TicketPageDto>(key, { ...page, items: page.items.map((item) => (item.id === ticket.id && isNewer(ticket, item) ? ticket : item)) });
  else void queryClient.invalidateQueries({ queryKey: key });
}

/** The ticket is gone for this user (deleted, or moved into a private team): out of every list. */
export function removeTicket(queryClient: QueryClient, ticketId: string): void {
  queryClient.setQueriesData<TicketList>({ queryKey: ticketKeys.lists() }, (data) => data && withoutTicket(data, ticketId));
  void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(ticketId) });
}

/**
 * The team turned private without this user: its tickets leave every list, and open ones are asked for again
 * (the API now answers 404, so the view says it cannot be seen).
 */
export function removeTeamTickets(queryClient: QueryClient, teamId: string): void {
  queryClient.setQueriesData<TicketList>({ queryKey: ticketKeys.lists() }, (data) => data && { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.teamId !== teamId) })) });
  for (const [queryKey, detail] of queryClient.getQueriesData<TicketDetailDto>({ queryKey: [...ticketKeys.all, 'detail'] })) {
    if (detail?.teamId === teamId) void queryClient.invalidateQueries({ queryKey });
  }
  void queryClient.invalidateQueries({ queryKey: [...ticketKeys.all, 'customer-tickets'] });
}

/** The list's preview of a message; the row shows at most two lines of it. */
function snippetOf(text: string | null): string | null {
  return text ? text.replace(/\s+/g, ' ').trim().slice(0, 200) : null;
}

export function appendMessage(queryClient: QueryClient, ticketId: string, message: MessageDto): void {
  queryClient.setQueryData<TicketDetailDto>(ticketKeys.detail(ticketId), (detail) =>
    detail && !detail.messages.some((existing) => existing.id === message.id) ? { ...detail, messages: [...detail.messages, message] } : detail,
  );
  // The list shows last activity; move the ticket up without refetching. Repeating this changes nothing.
  for (const [queryKey, data] of queryClient.getQueriesData<TicketList>({ queryKey: ticketKeys.lists() })) {
    const cached = data && findInList(data, ticketId);
    if (!cached || cached.lastActivityAt >= message.createdAt) continue;
    const snippet = message.direction === 'note' ? cached.snippet : snippetOf(message.bodyText);
    queryClient.setQueryData<TicketList>(queryKey, placeTicket(data, { ...cached, snippet, lastActivityAt: message.createdAt }, listFilter(queryKey).sort ?? 'last_activity_desc'));
  }
}

/** A message changed after it was added (an outbound reply's delivery state). */
export function replaceMessage(queryClient: QueryClient, ticketId: string, message: MessageDto): void {
  queryClient.setQueryData<TicketDetailDto>(ticketKeys.detail(ticketId), (detail) =>
    detail && { ...detail, messages: detail.messages.map((existing) => (existing.id === message.id ? message : existing)) },
  );
}

export function appendTicketEvent(queryClient: QueryClient, ticketId: string, event: TicketEventDto): void {
  queryClient.setQueryData<TicketDetailDto>(ticketKeys.detail(ticketId), (detail) =>
    detail && !detail.events.some((existing) => existing.id === event.id) ? { ...detail, events: [...detail.events, event] } : detail,
  );
}

/** A ticket as the cache knows it (its detail, or any list): what a bulk change's undo restores, what the merge dialog shows. */
export function cachedTicket(queryClient: QueryClient, ticketId: string): TicketSummaryDto | undefined {
  const detail = queryClient.getQueryData<TicketDetailDto>(ticketKeys.detail(ticketId));
  if (detail) return detail;
  for (const [, data] of queryClient.getQueriesData<TicketList>({ queryKey: ticketKeys.lists() })) {
    const found = data && findInList(data, ticketId);
    if (found) return found;
  }
  return undefined;
}
