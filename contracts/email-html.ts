/**
 * Reading sanitised email HTML (the server's sanitiser escapes every `<` that does not open a tag), shared by
 * the server's email frame and the client's estimate of its height.
 */

/** Opening and closing blockquote tags. */
const BLOCKQUOTE_TAG = /<(\/?)blockquote\b[^>]*>/gi;

/**
 * Where the quoted history sits: the last top-level blockquote, when something else would still show
 * without it (a message that is all quote is not folded).
 */
export function quotedHistoryRange(html: string): { start: number; end: number } | null {
  let depth = 0;
  let start = -1;
  let last: { start: number; end: number } | null = null;
  for (const tag of html.matchAll(BLOCKQUOTE_TAG)) {
    if (!tag[1]) {
      if (depth++ === 0) start = tag.index;
    } else if (depth > 0 && --depth === 0) {
      last = { start, end: tag.index + tag[0].length };
    }
  }
  if (!last) return null;
  return visibleText(html.slice(0, last.start) + html.slice(last.end)).trim() ? last : null;
}

/** The text of sanitised HTML, roughly (tags dropped, whitespace and &nbsp; as one space). */
export function visibleText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/(?:&nbsp;|\s)+/g, ' ');
}
