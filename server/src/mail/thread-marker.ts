import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { parsePlusAddressMarker, plusAddressMarker } from './parse';

/**
 * Careloop's own Message-IDs carry the ticket number, and every reply also lists a per-ticket reference
 * (and, with plus addressing, a per-ticket Reply-To). Some providers rewrite outgoing Message-IDs; the
 * reference survives in the customer's References header and still threads the answer.
 *
 * Ticket numbers are printed in every subject, so a marker carries a keyed HMAC of the number: a stranger
 * cannot forge one, and one with a wrong signature is ignored. Markers without it (older mail, and the
 * number inside our own Message-IDs) are still read; like every threading path, they let only the
 * ticket's participants join it.
 */
const OWN_MESSAGE_ID = /^careloop\.[0-9a-f-]{36}\.t(\d{1,15})@/i;
const TICKET_REFERENCE = /^careloop-ticket\.(\d{1,15})(?:\.([0-9a-z]+))?@/i;
const SIGNATURE_LENGTH = 16;

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'careloop.local';
}

function toTicketNumber(digits: string): number | null {
  const number = Number(digits);
  return Number.isSafeInteger(number) && number > 0 ? number : null;
}

@Injectable()
export class ThreadMarkers {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'secretKey'>) {
    // Its own key, derived: a leaked marker signature says nothing about the key that seals passwords.
    this.key = createHash('sha256').update(`careloop.thread-marker:${config.secretKey}`, 'utf8').digest();
  }

  newMessageId(ticketNumber: number, mailboxAddress: string): string {
    return `careloop.${randomUUID()}.t${ticketNumber}@${domainOf(mailboxAddress)}`;
  }

  /** The per-ticket reference every reply lists first in References. */
  ticketReference(ticketNumber: number, mailboxAddress: string): string {
    return `careloop-ticket.${ticketNumber}.${this.sign(ticketNumber)}@${domainOf(mailboxAddress)}`;
  }

  /** The mailbox address with the signed ticket marker as its plus detail (support+t1234-<sig>@…). */
  plusAddress(mailboxAddress: string, ticketNumber: number): string {
    return plusAddressMarker(mailboxAddress, ticketNumber, this.sign(ticketNumber));
  }

  /** The ticket a Message-ID in References/In-Reply-To marks; null for other ids and for forged signatures. */
  readReference(messageId: string): number | null {
    const reference = TICKET_REFERENCE.exec(messageId);
    if (reference) return this.check(reference[1], reference[2] ?? null);
    const own = OWN_MESSAGE_ID.exec(messageId);
    return own ? this.check(own[1], null) : null;
  }

  /** The ticket a plus-addressed recipient marks; null for other addresses and for forged signatures. */
  readPlusAddress(address: string): number | null {
    const marker = parsePlusAddressMarker(address);
    return marker ? this.check(String(marker.number), marker.signature) : null;
  }

  private check(digits: string, signature: string | null): number | null {
    const number = toTicketNumber(digits);
    if (number === null || signature === null) return number;
    const expected = Buffer.from(this.sign(number));
    const given = Buffer.from(signature.toLowerCase());
    return given.length === expected.length && timingSafeEqual(given, expected) ? number : null;
  }

  private sign(ticketNumber: number): string {
    return createHmac('sha256', this.key).update(`ticket:${ticketNumber}`).digest('hex').slice(0, SIGNATURE_LENGTH);
  }
}
