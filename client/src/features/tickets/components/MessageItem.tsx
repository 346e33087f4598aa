import { useState } from 'react';
import type { MessageDto } from '../../../../../contracts/api';
import type { DeliveryState } from '../../../../../contracts/domain';
import { formatBytes, formatDateTime } from '../../../lib/format';
import { attachmentUrl, rawMessageUrl } from '../api/tickets.api';
import { splitQuotedHistory } from '../emailContent';
import { DIRECTION_LABELS, FLAG_LABELS } from '../ticketLabels';
import { WithMentions } from './Mentions';
import { EmailHtmlFrame } from './EmailHtmlFrame';

function authorName(message: MessageDto, userNames: Map<string, string>): string {
  const agentName = message.direction !== 'inbound' && message.authorId ? userNames.get(message.authorId) : undefined;
  return agentName ?? message.fromName ?? message.fromAddress ?? 'Unknown sender';
}

const DELIVERY_TEXT: Record<DeliveryState, string> = {
  queued: 'Queued',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  undelivered: 'Undelivered',
};

/** Where an outbound reply stands; failures carry the mail server's own words. */
function DeliveryStatus({ state, error }: { state: DeliveryState; error: string | null }) {
  const failed = state === 'failed' || state === 'undelivered';
  return (
    <p className={`message__delivery message__delivery--${state}`} role={failed ? 'alert' : 'status'} data-testid="delivery-state" data-state={state}>
      {DELIVERY_TEXT[state]}
      {failed && error ? `: ${error}` : ''}
    </p>
  );
}

function PlainText({ text }: { text: string }) {
  const [showQuoted, setShowQuoted] = useState(false);
  const { visible, quoted } = splitQuotedHistory(text);
  return (
    <div className="message__text" data-testid="message-text">
      {showQuoted || !quoted ? text : visible}
      {quoted && (
        <button type="button" className="message__quoted-toggle" onClick={() => setShowQuoted(!showQuoted)} aria-expanded={showQuoted}>
          {showQuoted ? 'Hide quoted text' : '··· Show quoted text'}
        </button>
      )}
    </div>
  );
}

/** What Careloop noticed about the mail (guessed charset, recovered text, size limit …), and the original to check it. */
function IntakeNotes({ notes, rawUrl }: { notes: string[]; rawUrl: string | null }) {
  return (
    <div className="message__notes" role="note" data-testid="message-notes">
      {notes.length > 0 && (
        <ul>
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {rawUrl && (
        <a href={rawUrl} download data-testid="raw-source-link">
          Download the original email (.eml)
        </a>
      )}
    </div>
  );
}

export function MessageItem({ message, ticketId, userNames }: { message: MessageDto; ticketId: string; userNames: Map<string, string> }) {
  const author = authorName(message, userNames);
  return (
    <li id={`message-${message.id}`} className={`message message--${message.direction}`} data-testid="message" data-direction={message.direction}>
      <header className="message__header">
        <span className="message__author">{author}</span>
        <span className="message__kind">{DIRECTION_LABELS[message.direction]}</span>
        {message.flags.map((flag) => (
          <span key={flag} className="badge badge--flag">
            {FLAG_LABELS[flag]}
          </span>
        ))}
        <time className="message__time" dateTime={message.createdAt}>
          {formatDateTime(message.createdAt)}
        </time>
      </header>
      {message.direction !== 'note' && message.to.length > 0 && (
        <p className="message__recipients muted">
          To {message.to.join(', ')}
          {message.cc.length > 0 && ` · Cc ${message.cc.join(', ')}`}
        </p>
      )}
      {(message.notes.length > 0 || (message.flags.length > 0 && message.hasRawSource)) && <IntakeNotes notes={message.notes} rawUrl={message.hasRawSource ? rawMessageUrl(ticketId, message.id) : null} />}
      {message.bodyHtml ? (
        <EmailHtmlFrame ticketId={ticketId} messageId={message.id} html={message.bodyHtml} title={`Message from ${author}`} />
      ) : message.direction === 'note' && message.mentionIds.length > 0 ? (
        <div className="message__text" data-testid="message-text">
          <WithMentions text={message.bodyText ?? ''} mentionIds={message.mentionIds} userNames={userNames} />
        </div>
      ) : (
        <PlainText text={message.bodyText ?? ''} />
      )}
      {message.direction === 'outbound' && message.deliveryState && <DeliveryStatus state={message.deliveryState} error={message.deliveryError} />}
      {message.attachments.length > 0 && (
        <ul className="attachments" aria-label="Attachments">
          {message.attachments.map((attachment) => (
            <li key={attachment.id}>
              <a className="attachment" href={attachmentUrl(attachment.id)} download={attachment.filename} data-testid="attachment">
                {attachment.filename}
              </a>{' '}
              <span className="muted">{formatBytes(attachment.size)}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
