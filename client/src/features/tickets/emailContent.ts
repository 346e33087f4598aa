/** Lines that start quoted history in plain-text mail ("On … wrote:", Outlook's "-----Original Message-----"). */
const HISTORY_START = /^(On\b.{0,300}\bwrote:|-{2,}\s*Original Message\s*-{2,}|_{10,})$/i;
/** The server's sanitiser keeps a remote image's address here and shows a blank pixel instead (no tracking). */
const REMOTE_IMAGE_ATTRIBUTE = 'data-remote-src';

/**
 * Splits a plain-text message into what was newly written and the quoted history below it (from an
 * attribution line, or a trailing block of "> " lines). Nothing is hidden when nothing else would show.
 */
export function splitQuotedHistory(text: string): { visible: string; quoted: string } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let start = lines.findIndex((line) => HISTORY_START.test(line.trim()));
  if (start === -1) {
    let end = lines.length;
    while (end > 0 && !lines[end - 1].trim()) end--;
    start = end;
    while (start > 0 && (lines[start - 1].startsWith('>') || (!lines[start - 1].trim() && start < end))) start--;
    if (start === end) start = lines.length;
  }
  const visible = lines.slice(0, start).join('\n').trimEnd();
  if (!visible.trim()) return { visible: text, quoted: '' };
  return { visible, quoted: lines.slice(start).join('\n').trim() };
}

export function hasRemoteImages(html: string): boolean {
  return html.includes(REMOTE_IMAGE_ATTRIBUTE);
}

/**
 * Prepares sanitised email HTML for its frame: the last top-level blockquote (quoted history) folds into
 * a <details> element, which opens without script; remote images get their address back only when the
 * agent allowed them. Parsed inertly with DOMParser: nothing in the HTML runs here.
 */
export function prepareEmailHtml(html: string, allowRemoteImages: boolean): string {
  const document = new DOMParser().parseFromString(html, 'text/html');
  if (allowRemoteImages) {
    for (const image of document.body.querySelectorAll(`img[${REMOTE_IMAGE_ATTRIBUTE}]`)) image.setAttribute('src', image.getAttribute(REMOTE_IMAGE_ATTRIBUTE) ?? '');
  }
  const quotes = [...document.body.querySelectorAll('blockquote')].filter((quote) => !quote.parentElement?.closest('blockquote'));
  const last = quotes.at(-1);
  if (last && document.body.textContent?.replace(last.textContent ?? '', '').trim()) {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'Show quoted text';
    last.replaceWith(details);
    details.append(summary, last);
  }
  return document.body.innerHTML;
}

/** Where the server points an inline (cid:) image: the message's attachment. */
const ATTACHMENT_IMAGE = /^\/api\/attachments\/[0-9a-f-]{36}$/;
/** Larger inline images stay a link-less blank rather than a data: URL the size of a file. */
const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * Replaces the message's own attachment images by data: URLs, fetched here with the agent's session: the
 * email frame (sandboxed, opaque origin, `img-src data:`) could not load them itself. Others stay as they are.
 */
export async function inlineAttachmentImages(html: string): Promise<string> {
  const document = new DOMParser().parseFromString(html, 'text/html');
  const images = [...document.body.querySelectorAll('img')].filter((image) => ATTACHMENT_IMAGE.test(image.getAttribute('src') ?? ''));
  if (images.length === 0) return html;
  await Promise.all(
    images.map(async (image) => {
      try {
        const response = await fetch(image.getAttribute('src') ?? '', { credentials: 'same-origin' });
        const blob = await response.blob();
        if (!response.ok || !blob.type.startsWith('image/') || blob.size > MAX_INLINE_IMAGE_BYTES) return;
        image.setAttribute('src', await dataUrl(blob));
      } catch {
        // The image stays unloaded; the rest of the message shows.
      }
    }),
  );
  return document.body.innerHTML;
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('could not read the image'));
    reader.readAsDataURL(blob);
  });
}
