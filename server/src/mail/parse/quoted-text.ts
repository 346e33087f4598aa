export interface SplitText {
  visibleText: string;
  quotedText: string;
}

/** Attribution lines that start quoted history (Gmail, Apple Mail, Thunderbird; a few common languages). */
const ATTRIBUTION_LINES = [
  /^On\b.{0,300}\bwrote:$/i,
  /^Le\b.{0,300}\ba écrit\s?:$/i,
  /^Am\b.{0,300}\bschrieb\b.{0,300}:$/i,
  /^El\b.{0,300}\bescribió:$/i,
  /^Op\b.{0,300}\bschreef\b.{0,300}:$/i,
  /^-{2,}\s*Original Message\s*-{2,}$/i,
  /^-{2,}\s*Ursprüngliche Nachricht\s*-{2,}$/i,
];
const OUTLOOK_SEPARATOR = /^_{10,}$/;
const OUTLOOK_HEADER_START = /^\*?(From|Von|De|Van):\*?\s/i;
const OUTLOOK_HEADER_FIELD = /^\*?(Sent|Date|Gesendet|Envoyé|Enviado|Verzonden|To|An|À|Para|Aan|Subject|Betreff|Objet|Asunto|Onderwerp):\*?\s/i;
const SIGNATURE_LINES = [
  /^-- ?$/,
  /^Sent from my \w+/i,
  /^Sent from (Mail|Outlook) for /i,
  /^Get Outlook for (iOS|Android)/i,
];

/**
 * Separates the new content of a reply from the quoted history and the signature, so the ticket view can
 * show what the customer just wrote and fold the rest away. The full text is kept by the caller.
 * When nothing but quotes would remain (a bare forward), everything stays visible.
 */
export function splitQuotedText(text: string): SplitText {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let historyStart = findAttribution(lines);
  if (historyStart === -1) historyStart = findOutlookHeader(lines);
  if (historyStart === -1) historyStart = findTrailingQuote(lines);
  if (historyStart === -1) historyStart = lines.length;

  const signatureStart = lines.slice(0, historyStart).findIndex((line, index) => index > 0 && isSignatureLine(line));
  const visibleEnd = signatureStart === -1 ? historyStart : signatureStart;

  const visibleText = lines.slice(0, visibleEnd).join('\n').trim();
  if (!visibleText) return { visibleText: text.trim(), quotedText: '' };
  return { visibleText, quotedText: lines.slice(visibleEnd).join('\n').trim() };
}

function findAttribution(lines: string[]): number {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    // Gmail wraps long attributions ("On …, Jane <\njane@example.com> wrote:") over two lines.
    const wrapped = `${line} ${lines[index + 1]?.trim() ?? ''}`.trim();
    if (ATTRIBUTION_LINES.some((pattern) => pattern.test(line) || pattern.test(wrapped))) return index;
  }
  return -1;
}

/** Outlook quotes with a header block ("From: … Sent: … To: … Subject: …"), often under a line of underscores. */
function findOutlookHeader(lines: string[]): number {
  for (let index = 0; index < lines.length; index++) {
    if (!OUTLOOK_HEADER_START.test(lines[index].trim())) continue;
    const following = lines.slice(index + 1, index + 5).filter((line) => OUTLOOK_HEADER_FIELD.test(line.trim()));
    if (following.length < 2) continue;
    const previous = lines[index - 1]?.trim() ?? '';
    return OUTLOOK_SEPARATOR.test(previous) ? index - 1 : index;
  }
  return -1;
}

/** A block of "> " lines at the end of the message (blank lines allowed in between). */
function findTrailingQuote(lines: string[]): number {
  let start = -1;
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index].trim();
    if (line.startsWith('>')) start = index;
    else if (line !== '') break;
  }
  return start;
}

function isSignatureLine(line: string): boolean {
  return SIGNATURE_LINES.some((pattern) => pattern.test(line.trimStart()));
}
