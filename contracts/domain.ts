/** Enumerations shared by the server, its database schema and the client. */
export const ROLES = ['agent', 'lead', 'care_owner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const MESSAGE_DIRECTIONS = ['inbound', 'outbound', 'note'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed', 'undelivered'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const SUBSCRIPTION_STATUSES = ['none', 'active', 'paused', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const AVAILABILITIES = ['available', 'away', 'offline'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** Flags set on a message by ingestion; flagged mail never triggers automatic replies or automations. */
export const MESSAGE_FLAGS = ['auto_reply', 'bulk', 'bounce', 'parse_error', 'oversized', 'no_headers', 'text_recovered', 'charset_guessed'] as const;
export type MessageFlag = (typeof MESSAGE_FLAGS)[number];
