import { useEffect, useMemo, useState } from 'react';
import { hasRemoteImages, inlineAttachmentImages, prepareEmailHtml } from '../emailContent';

/** No scripts, no network except inline images; the frame's empty sandbox also gives it an opaque origin. */
const EMAIL_CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'";
/** Once the agent allows remote images: those, and still nothing else. */
const EMAIL_CSP_WITH_IMAGES = "default-src 'none'; img-src data: cid: https: http:; style-src 'unsafe-inline'";
const EMAIL_BASE_STYLE =
  'body{margin:0;padding:12px;font:14px/1.5 system-ui,sans-serif;color:#1f2933;overflow-wrap:anywhere}img{max-width:100%;height:auto}blockquote{margin:0 0 0 8px;padding-left:8px;border-left:3px solid #d5dbe1;color:#52606d}summary{cursor:pointer;color:#2563eb;font-size:13px;margin-top:8px}';
const LINE_HEIGHT_REM = 1.3125;
const MIN_LINES = 4;
const MAX_LINES = 28;
const CHARS_PER_LINE = 90;

function emailDocument(html: string, csp: string): string {
  // `base target=_blank` makes links try to open a window, which the sandbox refuses, instead of
  // navigating the frame to a remote page.
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="referrer" content="no-referrer"><base target="_blank"><style>${EMAIL_BASE_STYLE}</style></head><body>${html}</body></html>`;
}

/** Tags that start a new line (paragraph margins count as a second one) or, for images, take one up. */
const LINE_BREAKING_TAGS = /<(?:br|img|li|tr|summary)\b|<\/(?:div|h[1-6])>/gi;
const PARAGRAPH_TAGS = /<\/(?:p|ul|ol|table)>/gi;
const IMAGE_HEIGHT = /<img\b[^>]*\bheight="?(\d+)/gi;
const MAX_IMAGE_PX = 480;

/** The sandbox hides the content's height from us, so estimate it from the markup (folded history left out). */
function estimatedHeight(html: string): string {
  const shown = html.replace(/<details>[\s\S]*<\/details>/i, '<summary>');
  const textLength = shown.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').length;
  const lines =
    Math.ceil(textLength / CHARS_PER_LINE) + (shown.match(LINE_BREAKING_TAGS)?.length ?? 0) + 2 * (shown.match(PARAGRAPH_TAGS)?.length ?? 0);
  const clamped = Math.min(MAX_LINES, Math.max(MIN_LINES, lines));
  // Images that say how tall they are (inline photos, logos) take that much room, not one line.
  const imagePixels = [...shown.matchAll(IMAGE_HEIGHT)].reduce((sum, match) => sum + Math.min(MAX_IMAGE_PX, Number(match[1])), 0);
  return imagePixels ? `calc(${clamped * LINE_HEIGHT_REM + 1.5}rem + ${imagePixels}px)` : `${clamped * LINE_HEIGHT_REM + 1.5}rem`;
}

/**
 * Shows server-sanitised email HTML isolated from the app: no scripts, no same-origin access, and no
 * remote loads until the agent asks for the images.
 */
export function EmailHtmlFrame({ html, title }: { html: string; title: string }) {
  const [showImages, setShowImages] = useState(false);
  const withRemote = useMemo(() => prepareEmailHtml(html, showImages), [html, showImages]);
  // The frame has an opaque origin and may load nothing from Careloop: its inline (cid:) images come in as data: URLs.
  const [prepared, setPrepared] = useState(withRemote);
  useEffect(() => {
    let current = true;
    setPrepared(withRemote);
    void inlineAttachmentImages(withRemote).then((inlined) => current && setPrepared(inlined));
    return () => {
      current = false;
    };
  }, [withRemote]);
  const srcDoc = useMemo(() => emailDocument(prepared, showImages ? EMAIL_CSP_WITH_IMAGES : EMAIL_CSP), [prepared, showImages]);
  return (
    <>
      {!showImages && hasRemoteImages(html) && (
        <p className="email-images-notice">
          Remote images are blocked, so the sender cannot tell you opened this.{' '}
          <button type="button" className="button button--small" onClick={() => setShowImages(true)} data-testid="show-images">
            Show images
          </button>
        </p>
      )}
      <iframe className="email-frame" sandbox="" srcDoc={srcDoc} title={title} style={{ height: estimatedHeight(prepared) }} data-testid="message-html" />
    </>
  );
}
