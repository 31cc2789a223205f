/**
 * The room's discussion: messages in sequence order (withheld ones say so, and why), messages
 * being sent, who is here and who is typing, and the message box (Enter sends, Shift+Enter is a
 * new line). Your own discussion messages can be edited; the chair can redact any.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ConferenceMessage } from '../api/conferences';
import { formatDateTime } from '../people/vocab';
import type { Ack, PendingMessage, PresenceEntry } from './useConferenceRoom';
import { typingText } from './vocab';

interface Props {
  messages: ConferenceMessage[];
  pending: PendingMessage[];
  online: PresenceEntry[];
  typing: string[];
  canSend: boolean;
  youId: string;
  isChair: boolean;
  onSend: (body: string) => Promise<boolean>;
  onRetry: (p: PendingMessage) => void;
  onDiscard: (clientId: string) => void;
  onEdit: (seq: number, body: string) => Promise<Ack>;
  onRedact: (seq: number) => Promise<Ack>;
  onTyping: (typing: boolean) => void;
}

const MAX_CHARS = 4000;

export function Discussion(props: Props) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ seq: number; body: string } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const last = props.messages.at(-1)?.seq ?? 0;

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [last, props.pending.length]);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    const body = draft.trim();
    if (!body) return;
    if (body.length > MAX_CHARS) {
      setError(`Messages can be at most ${MAX_CHARS} characters.`);
      return;
    }
    setError(null);
    setDraft('');
    props.onTyping(false);
    await props.onSend(body);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  }

  async function saveEdit(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    const ack = await props.onEdit(editing.seq, editing.body.trim());
    if (ack.ok) setEditing(null);
    else setError(ack.message ?? 'Could not edit the message.');
  }

  async function redact(seq: number) {
    const ack = await props.onRedact(seq);
    if (!ack.ok) setError(ack.message ?? 'Could not redact the message.');
  }

  return (
    <section aria-labelledby="discussion-title">
      <h2 id="discussion-title">Discussion</h2>
      <h3 className="visually-hidden">Here now</h3>
      <ul className="presence" aria-label="Here now">
        {props.online.map((p) => (
          <li key={p.userId}>
            <span aria-hidden="true">● </span>
            {p.name} <span className="muted small">({p.agencyName})</span>
          </li>
        ))}
      </ul>
      <ol ref={listRef} className="messages" role="log" aria-live="polite" aria-label="Messages" tabIndex={0}>
        {props.messages.map((m) => (
          <li key={m.seq} className={`message message-${m.kind}${['risk', 'decision', 'action'].includes(m.kind) ? ' message-item' : ''}`}>
            <div className="message-meta">
              <span>{m.kind === 'system' ? 'Conference' : m.kind === 'withheld' ? (m.agencyName ?? 'Another agency') : `${m.authorName ?? 'Someone'} (${m.agencyName ?? ''})`}</span>
              <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
              {m.editedAt && !m.redacted ? <span>edited</span> : null}
            </div>
            {editing?.seq === m.seq ? (
              <form onSubmit={saveEdit} className="item-form" aria-label="Edit message">
                <label htmlFor={`edit-${m.seq}`} className="visually-hidden">
                  Edit message
                </label>
                <textarea id={`edit-${m.seq}`} className="input textarea" value={editing.body} maxLength={MAX_CHARS} onChange={(e) => setEditing({ seq: m.seq, body: e.target.value })} />
                <div className="button-row">
                  <button type="submit" className="button">Save</button>
                  <button type="button" className="button button-secondary" onClick={() => setEditing(null)}>Cancel</button>
                </div>
              </form>
            ) : (
              <p className="message-body">
                {m.withheld ? `Message withheld: ${m.withheld.reason}` : m.redacted ? 'This message was redacted.' : m.body}
              </p>
            )}
            {props.canSend && !m.redacted && !m.withheld && m.kind === 'text' && editing?.seq !== m.seq ? (
              <div className="button-row small">
                {m.authorId === props.youId ? (
                  <button type="button" className="button-link" onClick={() => setEditing({ seq: m.seq, body: m.body ?? '' })}>
                    Edit<span className="visually-hidden"> message {m.seq}</span>
                  </button>
                ) : null}
                {m.authorId === props.youId || props.isChair ? (
                  <button type="button" className="button-link" onClick={() => void redact(m.seq)}>
                    Redact<span className="visually-hidden"> message {m.seq}</span>
                  </button>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
        {props.pending.map((p) => (
          <li key={p.clientId} className="message message-pending">
            <div className="message-meta">{p.failed ? `Not sent: ${p.failed}` : 'Sending…'}</div>
            <p className="message-body">{p.body}</p>
            {p.failed ? (
              <div className="button-row small">
                <button type="button" className="button-link" onClick={() => props.onRetry(p)}>Try again</button>
                <button type="button" className="button-link" onClick={() => props.onDiscard(p.clientId)}>Discard</button>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="typing" aria-live="polite">{typingText(props.typing)}</p>
      {error ? <p role="alert" className="banner banner-error">{error}</p> : null}
      {props.canSend ? (
        <form onSubmit={submit} className="item-form" aria-label="Send a message">
          <label htmlFor="message-box">Message</label>
          <p className="hint" id="message-box-hint">Enter sends; Shift+Enter starts a new line.</p>
          <textarea
            id="message-box"
            aria-describedby="message-box-hint"
            className="input textarea"
            value={draft}
            maxLength={MAX_CHARS}
            onChange={(e) => {
              setDraft(e.target.value);
              props.onTyping(e.target.value.length > 0);
            }}
            onKeyDown={onKeyDown}
          />
          <div className="button-row">
            <button type="submit" className="button" disabled={!draft.trim()}>Send</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
