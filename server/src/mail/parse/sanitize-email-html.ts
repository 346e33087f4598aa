import sanitizeHtml from 'sanitize-html';

/** A transparent 1×1 GIF shown in place of a remote image until an agent chooses to load it. */
export const REMOTE_IMAGE_PLACEHOLDER = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
/** The attribute holding a remote image's address; it goes back into `src` when the agent allows images. */
export const REMOTE_IMAGE_ATTRIBUTE = 'data-remote-src';

/** Where a `cid:` image points once ingest has stored its part as an attachment of the same message. */
export const inlineAttachmentSrc = (attachmentId: string) => `/api/attachments/${attachmentId}`;
const INLINE_ATTACHMENT_SRC = /^\/api\/attachments\/([0-9a-f-]{36})$/i;

/** How images come out when stored email HTML is shown (the email frame); by default as stored. */
export interface EmailImageOptions {
  /** The agent opted in for this message: remote images get their address back (any http or https one). */
  remoteImages?: boolean;
  /** A data: URL for one of the message's own attachments, or null to leave that image out. */
  attachmentImage?: (attachmentId: string) => string | null;
}

const TAGS = [
  'a', 'abbr', 'address', 'article', 'b', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col',
  'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'section',
  'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt',
  'u', 'ul', 'wbr',
];
const CELL_ATTRIBUTES = ['colspan', 'rowspan', 'nowrap', 'scope', 'width', 'height', 'bgcolor'];

// Style values are matched whole, so `url(`, `expression(` and friends can never slip through.
const COLOR = /^(#[0-9a-f]{3,8}|[a-z]+|rgba?\(\s*[\d.%\s,/]+\)|hsla?\(\s*[\d.%\s,/deg]+\))$/i;
const LENGTHS = /^((-?[\d.]+(px|pt|em|rem|%|ex|ch|cm|mm|in|vw|vh)?|auto|inherit|normal)\s*){1,4}$/i;
const KEYWORD = /^[a-z-]+$/i;
const FONT_FAMILY = /^[\w\s,'"-]+$/;
const BORDER = /^((-?[\d.]+(px|pt|em|rem)?|[a-z]+|#[0-9a-f]{3,8}|rgba?\(\s*[\d.%\s,/]+\))\s*){1,3}$/i;
const STYLES: Record<string, RegExp[]> = {
  color: [COLOR],
  'background-color': [COLOR],
  'font-family': [FONT_FAMILY],
  'font-size': [LENGTHS, KEYWORD],
  'font-weight': [KEYWORD, /^\d{3}$/],
  'font-style': [KEYWORD],
  'line-height': [LENGTHS, /^[\d.]+$/],
  'letter-spacing': [LENGTHS],
  'text-align': [KEYWORD],
  'text-decoration': [/^[a-z\s-]+$/i],
  'text-transform': [KEYWORD],
  'text-indent': [LENGTHS],
  'vertical-align': [KEYWORD, LENGTHS],
  'white-space': [KEYWORD],
  'list-style-type': [KEYWORD],
  'border-collapse': [KEYWORD],
  'border-spacing': [LENGTHS],
  display: [/^(block|inline|inline-block|table|table-row|table-cell|list-item|none)$/i],
  width: [LENGTHS],
  height: [LENGTHS],
  'max-width': [LENGTHS],
  'min-width': [LENGTHS],
  ...Object.fromEntries(
    ['margin', 'padding'].flatMap((box) =>
      ['', '-top', '-right', '-bottom', '-left'].map((side) => [`${box}${side}`, [LENGTHS]]),
    ),
  ),
  ...Object.fromEntries(['', '-top', '-right', '-bottom', '-left'].map((side) => [`border${side}`, [BORDER]])),
  'border-color': [COLOR],
  'border-style': [KEYWORD],
  'border-width': [LENGTHS],
  'border-radius': [LENGTHS],
};

const SAFE_IMAGE_DATA_URL = /^data:image\/(png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]+$/i;
const REMOTE_URL = /^https?:\/\//i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: TAGS,
  allowedAttributes: {
    '*': ['style', 'align', 'valign', 'dir', 'lang', 'title'],
    a: ['href', 'name', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height', 'border', REMOTE_IMAGE_ATTRIBUTE],
    font: ['color', 'face', 'size'],
    table: ['border', 'cellpadding', 'cellspacing', 'width', 'height', 'bgcolor', 'summary'],
    tr: ['bgcolor', 'height'],
    td: CELL_ATTRIBUTES,
    th: CELL_ATTRIBUTES,
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    ol: ['start', 'type'],
    ul: ['type'],
    li: ['value'],
  },
  allowedStyles: { '*': STYLES },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
  allowProtocolRelative: false,
  // Text inside these never belongs in the visible message (a <title> would otherwise show as body text).
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template'],
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer' },
    }),
  },
};

/**
 * Makes email HTML safe to show inside the app: no scripts, handlers, forms, frames or unsafe URLs, links
 * opening in a new tab without access to the app, and remote images that do not load (and so cannot track
 * the reader) until an agent allows them. `cid:` images stay so the server can point them at attachments.
 * Idempotent: sanitising its own output changes nothing.
 */
export function sanitizeEmailHtml(html: string, images: EmailImageOptions = {}): string {
  return sanitizeHtml(html, { ...OPTIONS, transformTags: { ...OPTIONS.transformTags, img: (tagName, attribs) => ({ tagName, attribs: imageAttributes(attribs, images) }) } });
}

function imageAttributes(attribs: sanitizeHtml.Attributes, images: EmailImageOptions): sanitizeHtml.Attributes {
  const { src: rawSrc = '', [REMOTE_IMAGE_ATTRIBUTE]: rawRemote = '', ...rest } = attribs;
  const src = rawSrc.trim();
  const remote = REMOTE_URL.test(src) ? src : REMOTE_URL.test(rawRemote.trim()) ? rawRemote.trim() : null;
  if (remote) return images.remoteImages ? { ...rest, src: remote } : { ...rest, src: REMOTE_IMAGE_PLACEHOLDER, [REMOTE_IMAGE_ATTRIBUTE]: remote };
  if (/^cid:/i.test(src) || SAFE_IMAGE_DATA_URL.test(src)) return { ...rest, src };
  const attachmentId = images.attachmentImage ? INLINE_ATTACHMENT_SRC.exec(src)?.[1] : undefined;
  const inline = attachmentId ? images.attachmentImage?.(attachmentId.toLowerCase()) : null;
  return inline && SAFE_IMAGE_DATA_URL.test(inline) ? { ...rest, src: inline } : rest;
}
