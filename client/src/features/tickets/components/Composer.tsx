import { createContext, useEffect, useImperativeHandle, useRef, useState, type FormEvent, type KeyboardEvent, type Ref } from 'react';
import type { MessageDto } from '../../../../../contracts/api';
import type { TicketStatus } from '../../../../../contracts/domain';
import type { TypingMode } from '../../../../../contracts/events';
import { ApiError } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatBytes } from '../../../lib/format';
import { MacroPicker } from '../../macros/components/MacroPicker';
import { useTypingSignal, type TicketViewer } from '../../realtime/hooks/usePresence';
import { loadDraft, saveDraft } from '../drafts';
import { useAddNote, useSendReply } from '../hooks/useComposerActions';
import { useMentionAutocomplete } from './Mentions';
import { STATUS_LABELS } from '../ticketLabels';

export interface ComposerHandle {
  /** Switches to reply or note and puts the cursor in the text. */
  start(mode: TypingMode): void;
}

/**
 * What a tool in the composer's toolbar (the macros picker) may do with the draft. Tools are mounted
 * inside `.composer__tools`.
 */
export interface ComposerApi {
  mode: TypingMode;
  insertText(text: string): void;
  /** Adds a macro's text to the draft; its actions apply only when the reply is sent. */
  addMacro(macro: PendingMacro, body: string): void;
}

/** A macro picked for this reply: its actions, in words, apply with the send. */
export interface PendingMacro {
  id: string;
  name: string;
  actions: string[];
}
export const ComposerContext = createContext<ComposerApi | null>(null);

/** Statuses a reply may set as it goes out; '' keeps the server's default (a new ticket becomes open). */
const SEND_STATUSES: (TicketStatus | '')[] = ['', 'pending', 'solved'];

interface ComposerProps {
  ref: Ref<ComposerHandle>;
  ticketId: string;
  messages: MessageDto[];
  currentUserId: string;
  /** Others on this ticket right now, with what they are typing. */
  others: TicketViewer[];
  userNames: Map<string, string>;
}

/** The newest customer or agent email (notes aside) of a ticket's messages, oldest first. */
function newestEmailId(messages: MessageDto[]): string | undefined {
  return messages.filter((message) => message.direction !== 'note').at(-1)?.id;
}

function splitAddresses(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * Reply to the customer or write an internal note. While a reply is drafted, a reply sent by someone
 * else holds this one back until the agent has looked at it, so the customer never gets two answers
 * written without knowledge of each other.
 */
export function Composer({ ref, ticketId, messages, currentUserId, others, userNames }: ComposerProps) {
  const [draft] = useState(() => loadDraft(currentUserId, ticketId));
  const [mode, setMode] = useState<TypingMode>(draft?.mode ?? 'reply');
  const [body, setBody] = useState(draft?.body ?? '');
  const [cc, setCc] = useState(draft?.cc ?? '');
  const [files, setFiles] = useState<File[]>([]);
  const [sendStatus, setSendStatus] = useState<TicketStatus | ''>('');
  const [pendingMacros, setPendingMacros] = useState<PendingMacro[]>([]);
  /** The newest customer or agent email when the draft was started: the server refuses the reply if a newer one arrived. */
  const [writtenAfter, setWrittenAfter] = useState<string | undefined>(undefined);
  /** Replies already known when the draft was started, or looked at since. */
  const [seenReplies, setSeenReplies] = useState<ReadonlySet<string> | null>(draft?.seenReplyIds ? new Set(draft.seenReplyIds) : null);
  useEffect(() => saveDraft(currentUserId, ticketId, { mode, body, cc, seenReplyIds: seenReplies && [...seenReplies] }), [currentUserId, ticketId, mode, body, cc, seenReplies]);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const sendReply = useSendReply(ticketId);
  const addNote = useAddNote(ticketId);
  const { typing, stopTyping } = useTypingSignal(ticketId);
  const mentions = useMentionAutocomplete({ enabled: mode === 'note', body, textArea, onChange: (text) => changeBody(text) });
  const pending = sendReply.isPending || addNote.isPending;
  const error = mode === 'reply' ? sendReply.error : addNote.error;

  const replyIds = (list: MessageDto[]) => new Set(list.filter((message) => message.direction === 'outbound').map((message) => message.id));
  const newReplies = seenReplies ? messages.filter((message) => message.direction === 'outbound' && message.authorId !== currentUserId && !seenReplies.has(message.id)) : [];
  const held = mode === 'reply' && newReplies.length > 0;
  const othersTypingReply = others.filter((viewer) => viewer.typing === 'reply');

  const changeBody = (text: string, currentMode = mode) => {
    setBody(text);
    if (text.trim()) {
      typing(currentMode);
      if (!seenReplies) {
        setSeenReplies(replyIds(messages));
        setWrittenAfter(newestEmailId(messages));
      }
    } else {
      stopTyping();
      setSeenReplies(null);
    }
  };
  const switchMode = (next: TypingMode) => {
    setMode(next);
    if (body.trim()) typing(next);
  };
  useImperativeHandle(ref, () => ({
    start(next) {
      switchMode(next);
      textArea.current?.focus();
    },
  }));
  const insertText = (text: string) => changeBody(body ? `${body}\n${text}` : text);
  const addMacro = (macro: PendingMacro, text: string) => {
    if (text.trim()) insertText(text);
    if (macro.actions.length) setPendingMacros((current) => [...current.filter((other) => other.id !== macro.id), macro]);
  };

  const reset = () => {
    stopTyping();
    setBody('');
    setCc('');
    setFiles([]);
    setSeenReplies(null);
    setPendingMacros([]);
    setWrittenAfter(undefined);
    sendReply.reset();
    if (fileInput.current) fileInput.current.value = '';
  };
  const showNewReplies = () => {
    document.getElementById(`message-${newReplies[0].id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    setSeenReplies((seen) => new Set([...(seen ?? []), ...newReplies.map((message) => message.id)]));
    // Having read them, the agent now writes after them: the server need not hold the reply again.
    setWrittenAfter(newestEmailId(messages));
  };
  const submit = () => {
    const text = body.trim();
    if (!text || pending || held) return;
    if (mode === 'note') addNote.mutate({ body: text, mentionIds: mentions.idsIn(text) }, { onSuccess: reset });
    else send(false);
  };
  const send = (confirmNewer: boolean) =>
    sendReply.mutate(
      { body: body.trim(), cc: splitAddresses(cc), files, status: sendStatus || undefined, macroIds: pendingMacros.map((macro) => macro.id), afterMessageId: writtenAfter, confirmNewer },
      { onSuccess: reset },
    );
  const conflict = mode === 'reply' && sendReply.error instanceof ApiError && sendReply.error.body.error === 'reply_conflict' ? sendReply.error.body.newerMessages ?? [] : null;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentions.onKeyDown(event)) return;
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit();
    if (event.key === 'Escape') event.currentTarget.blur();
  };

  return (
    <form className={`composer composer--${mode}`} onSubmit={onSubmit} data-testid="composer" data-mode={mode}>
      <div className="composer__modes" role="tablist" aria-label="Write">
        {(['reply', 'note'] as const).map((option) => (
          <button
            key={option}
            type="button"
            role="tab"
            aria-selected={mode === option}
            className="composer__mode"
            onClick={() => switchMode(option)}
            data-testid={`composer-mode-${option}`}
          >
            {option === 'reply' ? 'Reply' : 'Internal note'}
          </button>
        ))}
      </div>
      {mode === 'reply' && othersTypingReply.length > 0 && (
        <p className="composer__notice" role="status" data-testid="composer-others-typing">
          {othersTypingReply.map((viewer) => viewer.name).join(', ')} {othersTypingReply.length === 1 ? 'is' : 'are'} also typing a reply.
        </p>
      )}
      {mode === 'reply' && (
        <input className="composer__cc" aria-label="Cc" placeholder="Cc (comma-separated addresses)" value={cc} onChange={(event) => setCc(event.target.value)} data-testid="composer-cc" />
      )}
      <textarea
        ref={textArea}
        rows={4}
        aria-label={mode === 'reply' ? 'Reply to the customer' : 'Internal note'}
        placeholder={mode === 'reply' ? 'Write a reply to the customer…' : 'Add a note for your team — the customer never sees it. Type @ to mention someone…'}
        value={body}
        onChange={(event) => {
          changeBody(event.target.value);
          mentions.trackCaret();
        }}
        onKeyDown={onKeyDown}
        onKeyUp={mentions.trackCaret}
        onClick={mentions.trackCaret}
        data-testid="composer-body"
      />
      {mentions.popup}
      {held && (
        <div className="composer__held" role="alert" data-testid="composer-held">
          <span>
            <strong>{[...new Set(newReplies.map((message) => (message.authorId && userNames.get(message.authorId)) || message.fromName || 'Someone'))].join(', ')}</strong> replied
            while you were writing. Your reply is held until you have read theirs.
          </span>
          <button type="button" className="button button--small" onClick={showNewReplies} data-testid="composer-show-new-reply">
            Show their reply
          </button>
        </div>
      )}
      {conflict ? (
        <div className="composer__held" role="alert" data-testid="composer-conflict">
          <span>
            <strong>{conflict.length === 1 ? 'A new message' : `${conflict.length} new messages`}</strong> arrived while you were writing:{' '}
            {conflict.map((message) => `“${message.bodyText?.slice(0, 80) ?? ''}”`).join(', ')}
          </span>
          <button type="button" className="button button--small" onClick={() => send(true)} data-testid="composer-send-anyway">
            Send anyway
          </button>
        </div>
      ) : (
        error && <ErrorNotice error={error} />
      )}
      {mode === 'reply' && pendingMacros.length > 0 && (
        <ul className="composer__pending" aria-label="Applied when the reply is sent" data-testid="composer-pending-macros">
          {pendingMacros.map((macro) => (
            <li key={macro.id} className="composer__pending-macro">
              <span>
                <strong>{macro.name}</strong> on send: {macro.actions.join(' · ')}
              </span>
              <button type="button" className="tag__remove" aria-label={`Do not apply ${macro.name}`} onClick={() => setPendingMacros(pendingMacros.filter((other) => other.id !== macro.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer__tools">
        <ComposerContext value={{ mode, insertText, addMacro }}>
          <MacroPicker ticketId={ticketId} />
        </ComposerContext>
        {mode === 'reply' && (
          <label className="button button--small composer__attach">
            Attach files
            <input ref={fileInput} type="file" multiple hidden onChange={(event) => setFiles([...files, ...(event.target.files ?? [])])} data-testid="composer-files" />
          </label>
        )}
        {mode === 'reply' && files.length > 0 && (
          <ul className="composer__files" aria-label="Attachments to send">
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`}>
                {file.name} <span className="muted">{formatBytes(file.size)}</span>
                <button type="button" className="tag__remove" aria-label={`Remove ${file.name}`} onClick={() => setFiles(files.filter((_, other) => other !== index))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="composer__actions">
        <span className="muted composer__hint">Ctrl+Enter to send</span>
        {(body.trim() || pendingMacros.length > 0) && (
          <button type="button" className="button button--small" onClick={reset} data-testid="composer-discard">
            Discard
          </button>
        )}
        {mode === 'reply' && (
          <select aria-label="Status after sending" value={sendStatus} onChange={(event) => setSendStatus(event.target.value as TicketStatus | '')} data-testid="composer-status">
            {SEND_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status ? `and set ${STATUS_LABELS[status]}` : 'keep status'}
              </option>
            ))}
          </select>
        )}
        <button type="submit" className={mode === 'reply' ? 'button button--primary' : 'button button--note'} disabled={!body.trim() || pending || held} data-testid="composer-send">
          {pending ? 'Sending…' : held ? 'Held' : mode === 'reply' ? 'Send reply' : 'Add note'}
        </button>
      </div>
    </form>
  );
}
