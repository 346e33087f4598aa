import { quotedHistoryRange } from '../../../../contracts/email-html';
import { sanitizeEmailHtml, type EmailImageOptions } from './sanitize-email-html';

/** Image types a browser shows inline; anything else (SVG included, it can carry script) is only downloaded. */
export const INLINE_SAFE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const FRAME_STYLE =
  'body{margin:0;padding:12px;font:14px/1.5 system-ui,sans-serif;color:#1f2933;overflow-wrap:anywhere}img{max-width:100%;height:auto}blockquote{margin:0 0 0 8px;padding-left:8px;border-left:3px solid #d5dbe1;color:#52606d}summary{cursor:pointer;color:#2563eb;font-size:13px;margin-top:8px}';

/**
 * The email frame's own policy, independent of the app's: no script, no plugin, no form, no fetch; inline
 * styles; images only as data: URLs (the message's own inline parts) until the agent allows remote images,
 * then any http or https image as well. `sandbox` gives the document an opaque origin even when it is opened
 * on its own; `frame-ancestors 'self'` lets only the app embed it.
 */
export function emailFrameCsp(remoteImages: boolean): string {
  return [
    "default-src 'none'",
    `img-src data:${remoteImages ? ' http: https:' : ''}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    'sandbox',
  ].join('; ');
}

/**
 * Folds the quoted history (contracts/email-html.ts) into a <details> element, which opens without script.
 */
export function foldQuotedHistory(html: string): string {
  const quote = quotedHistoryRange(html);
  if (!quote) return html;
  return `${html.slice(0, quote.start)}<details><summary>Show quoted text</summary>${html.slice(quote.start, quote.end)}</details>${html.slice(quote.end)}`;
}

/**
 * A message's stored HTML as the document the email frame serves: sanitised again on the way out (stored
 * HTML from older rules gets today's), images resolved as `images` says, quoted history folded.
 */
export function emailFrameDocument(html: string, images: EmailImageOptions): string {
  const body = foldQuotedHistory(sanitizeEmailHtml(html, images));
  // `base target=_blank` makes links try to open a window, which the sandbox refuses, instead of navigating the frame.
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><base target="_blank"><style>${FRAME_STYLE}</style></head><body>${body}</body></html>`;
}
