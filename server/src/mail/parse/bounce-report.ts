import { headerValue, scanHeaders, type RawHeader } from './header-scan';
import type { BounceReport } from './parsed-email';

export interface MimePart {
  contentType: string;
  content: Buffer;
}

const ORIGINAL_HEADER_TYPES = new Set(['text/rfc822-headers', 'message/rfc822-headers', 'message/rfc822']);

/**
 * Reads which message bounced and why from a delivery status notification (RFC 3464): the machine-readable
 * message/delivery-status part, the returned original headers, and the human-readable text as a last resort
 * for mailers that only quote the original inline.
 */
export function readBounceReport(parts: MimePart[], text: string, headers: RawHeader[]): BounceReport {
  const report: BounceReport = { originalMessageId: null };

  const statusPart = parts.find((part) => part.contentType === 'message/delivery-status');
  if (statusPart) {
    // The per-message and per-recipient field groups are separated by blank lines; read them as one group.
    const fields = scanHeaders(Buffer.from(statusPart.content.toString('utf8').replace(/(\r?\n)(\r?\n)+/g, '$1')));
    const recipient = headerValue(fields, 'final-recipient') ?? headerValue(fields, 'original-recipient');
    if (recipient) report.recipient = withoutTypePrefix(recipient);
    const status = headerValue(fields, 'status');
    if (status) report.status = status;
    const diagnostic = headerValue(fields, 'diagnostic-code');
    if (diagnostic) report.diagnostic = withoutTypePrefix(diagnostic);
  }
  if (!report.recipient) {
    const failed = headerValue(headers, 'x-failed-recipients');
    if (failed) report.recipient = failed.split(',')[0].trim();
  }

  const originalPart = parts.find((part) => ORIGINAL_HEADER_TYPES.has(part.contentType));
  const originalId = originalPart ? headerValue(scanHeaders(originalPart.content), 'message-id') : undefined;
  const quotedId = /^[ \t>]*Message-ID:[ \t]*(<[^>\r\n]+>|\S+)/im.exec(text)?.[1];
  report.originalMessageId = stripAngleBrackets(originalId ?? quotedId ?? null);
  return report;
}

export function stripAngleBrackets(id: string | null): string | null {
  const stripped = id?.trim().replace(/^<|>$/g, '').trim();
  return stripped ? stripped : null;
}

/** "rfc822; jane@example.com" → "jane@example.com", "smtp; 550 5.1.1 …" → "550 5.1.1 …". */
function withoutTypePrefix(value: string): string {
  return value.replace(/^[a-z0-9-]+\s*;\s*/i, '');
}
