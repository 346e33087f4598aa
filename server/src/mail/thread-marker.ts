import { randomUUID } from 'node:crypto';

/**
 * Careloop's own Message-IDs carry the ticket number, and every reply also lists a stable per-ticket
 * reference. Some providers rewrite outgoing Message-IDs; the extra reference survives in the
 * customer's References header and still threads the answer.
 */
const OWN_MESSAGE_ID = /^careloop\.[0-9a-f-]{36}\.t(\d{1,15})@/i;
const TICKET_REFERENCE = /^careloop-ticket\.(\d{1,15})@/i;

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'careloop.local';
}

export function newMessageId(ticketNumber: number, mailboxAddress: string): string {
  return `careloop.${randomUUID()}.t${ticketNumber}@${domainOf(mailboxAddress)}`;
}

export function ticketReference(ticketNumber: number, mailboxAddress: string): string {
  return `careloop-ticket.${ticketNumber}@${domainOf(mailboxAddress)}`;
}

export function ticketNumberFromReference(messageId: string): number | null {
  const match = OWN_MESSAGE_ID.exec(messageId) ?? TICKET_REFERENCE.exec(messageId);
  if (!match) return null;
  const number = Number(match[1]);
  return Number.isSafeInteger(number) ? number : null;
}
