import type { z } from 'zod';
import type { BulkTicketChanges, BulkUpdateResultDto,
  CreateNoteRequest,
  CustomerDto,
  MessageDto,
  TicketDetailDto,
  TicketPageDto,
  TicketQuerySchema,
  TicketSummaryDto,
  UpdateTicketRequest,
} from '../../../../../contracts/api';
import type { TicketStatus } from '../../../../../contracts/domain';
import { reportViewQuery, type ReportTicketPageDto } from '../../../../../contracts/reports';
import { api } from '../../../api/client';

/**
 * The list filters as typed values (the contract's input type is loose because it also parses query strings);
 * `report` is a drill-down's view id: the tickets behind a report's number, listed by the reports API.
 */
export type TicketListFilter = Partial<Omit<z.output<typeof TicketQuerySchema>, 'limit' | 'cursor'>> & { report?: string };

export const TICKET_PAGE_SIZE = 50;

export function fetchTicketPage(filter: TicketListFilter, cursor: string | undefined, limit = TICKET_PAGE_SIZE): Promise<TicketPageDto> {
  if (filter.report) return api.get<ReportTicketPageDto>('/reports/tickets/page', { ...reportViewQuery(filter.report), limit, cursor });
  return api.get<TicketPageDto>('/tickets', { ...filter, limit, cursor });
}

export function fetchTicket(ticketId: string): Promise<TicketDetailDto> {
  return api.get<TicketDetailDto>(`/tickets/${encodeURIComponent(ticketId)}`);
}

export function updateTicket(ticketId: string, changes: UpdateTicketRequest): Promise<TicketSummaryDto> {
  return api.patch<TicketSummaryDto>(`/tickets/${encodeURIComponent(ticketId)}`, changes);
}

/** One change for the whole selection, in one request and one transaction on the server. */
export function bulkUpdateTickets(ticketIds: string[], changes: BulkTicketChanges): Promise<BulkUpdateResultDto> {
  return api.post<BulkUpdateResultDto>('/tickets/bulk', { ticketIds, changes });
}

/** Merges the source tickets into the target; the sources close. */
export function mergeTickets(targetId: string, sourceIds: string[]): Promise<TicketSummaryDto> {
  return api.post<TicketSummaryDto>(`/tickets/${encodeURIComponent(targetId)}/merge`, { sourceIds });
}

export function createNote(ticketId: string, note: CreateNoteRequest): Promise<MessageDto> {
  return api.post<MessageDto>(`/tickets/${encodeURIComponent(ticketId)}/notes`, note);
}

export interface ReplyDraft {
  body: string;
  cc: string[];
  files: File[];
  /** The status the ticket takes as the reply goes out; the server's default when left out. */
  status?: TicketStatus;
  /** Macros whose actions apply with the send. */
  macroIds: string[];
  /** The newest message the agent saw; with confirmNewer false, a newer one makes the server answer 409. */
  afterMessageId?: string;
  confirmNewer: boolean;
}

/** A reply to the customer; sent as multipart only when it carries files. */
export function createReply(ticketId: string, { body, cc, files, status, macroIds, afterMessageId, confirmNewer }: ReplyDraft): Promise<MessageDto> {
  const path = `/tickets/${encodeURIComponent(ticketId)}/replies`;
  if (files.length === 0) return api.post<MessageDto>(path, { body, cc, status, macroIds, afterMessageId, confirmNewer });
  const form = new FormData();
  form.set('body', body);
  if (cc.length) form.set('cc', cc.join(','));
  if (status) form.set('status', status);
  if (macroIds.length) form.set('macroIds', macroIds.join(','));
  if (afterMessageId) form.set('afterMessageId', afterMessageId);
  form.set('confirmNewer', String(confirmNewer));
  for (const file of files) form.append('attachments', file, file.name);
  return api.post<MessageDto>(path, form);
}

export function fetchCustomer(customerId: string): Promise<CustomerDto> {
  return api.get<CustomerDto>(`/customers/${encodeURIComponent(customerId)}`);
}

/** The message exactly as received (or sent), as an .eml download. */
export function rawMessageUrl(ticketId: string, messageId: string): string {
  return `/api/tickets/${encodeURIComponent(ticketId)}/messages/${encodeURIComponent(messageId)}/raw`;
}

/** A message's HTML as the email frame's own document; `images` once the agent allowed remote images. */
export function emailFrameUrl(ticketId: string, messageId: string, images: boolean): string {
  return `/api/tickets/${encodeURIComponent(ticketId)}/messages/${encodeURIComponent(messageId)}/frame${images ? '?images=1' : ''}`;
}

export function attachmentUrl(attachmentId: string): string {
  return `/api/attachments/${encodeURIComponent(attachmentId)}`;
}
