import type { MessageDirection, MessageFlag, TicketPriority, TicketStatus } from '../../../../contracts/domain';

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const DIRECTION_LABELS: Record<MessageDirection, string> = {
  inbound: 'Customer',
  outbound: 'Reply',
  note: 'Internal note',
};

export const FLAG_LABELS: Record<MessageFlag, string> = {
  auto_reply: 'Auto-reply',
  bulk: 'Bulk',
  bounce: 'Bounce',
  parse_error: 'Parse error',
  oversized: 'Oversized',
  no_headers: 'No headers',
  text_recovered: 'Text recovered',
  charset_guessed: 'Charset guessed',
};
