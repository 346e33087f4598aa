import { useLayoutEffect, useRef, useState } from 'react';
import { quotedHistoryRange, visibleText } from '../../../../../contracts/email-html';
import { emailFrameUrl } from '../api/tickets.api';
import { hasRemoteImages } from '../emailContent';

/** One line of the frame's text (14px × 1.5). */
const LINE_HEIGHT_REM = 1.3125;
const MIN_LINES = 4;
const MAX_LINES = 28;
/** Average character width of the frame's 14px text, and its horizontal padding, in px. */
const CHAR_PX = 7.5;
const PADDING_PX = 24;
const DEFAULT_CHARS_PER_LINE = 90;

/** Tags that start a new line (paragraph margins count as a second one). */
const LINE_BREAKING_TAGS = /<(?:br|li|tr)\b|<\/(?:div|h[1-6])>/gi;
/** Images take their stated height (the blocked ones' placeholders too), or a line. */
const IMAGE_TAG = /<img\b[^>]*>/gi;
const HEIGHT_ATTRIBUTE = /\sheight="(\d+)"/i;
const LINE_PX = 21;

function imageLines(html: string): number {
  return (html.match(IMAGE_TAG) ?? []).reduce((lines, tag) => lines + Math.max(1, Math.ceil(Number(HEIGHT_ATTRIBUTE.exec(tag)?.[1] ?? 0) / LINE_PX)), 0);
}
const PARAGRAPH_TAGS = /<\/(?:p|ul|ol|table)>/gi;

/**
 * The sandbox hides the frame's content height from the app, so estimate it from the markup; the quoted
 * history the frame folds away counts as the one line of its "Show quoted text".
 */
function estimatedHeight(html: string, charsPerLine: number): string {
  const quote = quotedHistoryRange(html);
  const shown = quote ? `${html.slice(0, quote.start)}<br>${html.slice(quote.end)}` : html;
  const textLength = visibleText(shown).length;
  const lines =
    Math.ceil(textLength / charsPerLine) + (shown.match(LINE_BREAKING_TAGS)?.length ?? 0) + 2 * (shown.match(PARAGRAPH_TAGS)?.length ?? 0) + imageLines(shown);
  const clamped = Math.min(MAX_LINES, Math.max(MIN_LINES, lines));
  return `${clamped * LINE_HEIGHT_REM + 1.5}rem`;
}

/**
 * Shows a message's email HTML in a frame of its own document, served by the API with its own policy: no
 * scripts, an opaque origin (the empty sandbox, and the policy's own), and no remote loads until the agent
 * asks for the images of this message.
 */
export function EmailHtmlFrame({ ticketId, messageId, html, title }: { ticketId: string; messageId: string; html: string; title: string }) {
  const [showImages, setShowImages] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  const [charsPerLine, setCharsPerLine] = useState(DEFAULT_CHARS_PER_LINE);
  // Lines wrap sooner in a narrow frame (a phone): follow its width.
  useLayoutEffect(() => {
    const element = frame.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setCharsPerLine(Math.max(20, Math.floor((element.clientWidth - PADDING_PX) / CHAR_PX))));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
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
      <iframe
        ref={frame}
        className="email-frame"
        sandbox=""
        src={emailFrameUrl(ticketId, messageId, showImages)}
        title={title}
        style={{ height: estimatedHeight(html, charsPerLine) }}
        data-testid="message-html"
        data-images={showImages ? 'shown' : 'blocked'}
      />
    </>
  );
}
