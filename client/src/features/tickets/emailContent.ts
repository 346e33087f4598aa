/** Lines that start quoted history in plain-text mail ("On … wrote:", Outlook's "-----Original Message-----"). */
const HISTORY_START = /^(On\b.{0,300}\bwrote:|-{2,}\s*Original Message\s*-{2,}|_{10,})$/i;
/** The server's sanitiser keeps a remote image's address here and shows a blank pixel until the agent allows images. */
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
