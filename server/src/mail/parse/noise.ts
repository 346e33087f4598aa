import type { MessageFlag } from '../../../../contracts/domain';
import { headerParameter, headerValue, type RawHeader } from './header-scan';

const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list']);
const BOUNCE_SENDER = /^(mailer-daemon|postmaster)@/i;
const AUTO_REPLY_SUBJECT = /^(automatic reply|auto[- ]?reply|out of (the )?office( autoreply)?|abwesenheitsnotiz|réponse automatique)\s*:/i;

/**
 * Flags mail that must never trigger automatic replies or automations (RFC 3834 and what the big mail
 * systems actually send): auto-replies, bulk and list mail, and delivery failure reports.
 */
export function detectNoise(headers: RawHeader[], fromAddress: string | null, subject: string): MessageFlag[] {
  const flags = new Set<MessageFlag>();
  const value = (name: string) => headerValue(headers, name)?.toLowerCase();
  const has = (name: string) => headers.some((header) => header.name === name);

  const autoSubmitted = value('auto-submitted')?.split(';')[0].trim();
  if (autoSubmitted && autoSubmitted !== 'no') flags.add('auto_reply');
  if (has('x-autoreply') || has('x-autorespond')) flags.add('auto_reply');
  if (/\b(oof|all)\b/.test(value('x-auto-response-suppress') ?? '')) flags.add('auto_reply');
  if (has('x-ms-exchange-generated-message-source')) flags.add('auto_reply');
  if (AUTO_REPLY_SUBJECT.test(subject.trim())) flags.add('auto_reply');

  const precedence = value('precedence')?.trim();
  if (precedence === 'auto_reply') flags.add('auto_reply');
  if (precedence && BULK_PRECEDENCE.has(precedence)) flags.add('bulk');
  if (has('list-id') || has('list-unsubscribe')) flags.add('bulk');

  if (isDeliveryReport(headerValue(headers, 'content-type')) || has('x-failed-recipients')) flags.add('bounce');
  if (fromAddress && BOUNCE_SENDER.test(fromAddress)) flags.add('bounce');

  return [...flags];
}

function isDeliveryReport(contentType: string | undefined): boolean {
  if (!contentType || !/^\s*multipart\/report\b/i.test(contentType)) return false;
  return headerParameter(contentType, 'report-type')?.toLowerCase() === 'delivery-status';
}
