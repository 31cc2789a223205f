/**
 * What a user can do with an alert that is not closed: acknowledge it, give it to a colleague,
 * add a note, or close it with an outcome. The page runs each step (and handles someone else
 * acting first); these forms collect the input and say what is missing.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { alertsApi, CLOSE_OUTCOMES, isCloseOutcome, type AlertDetail, type CloseOutcome } from '../api/alerts';
import { errorMessage } from '../api/ApiError';
import { SelectField } from '../components/SelectField';
import { TextAreaField } from '../components/TextAreaField';
import { OUTCOME_LABELS } from './vocab';

export interface AlertActionHandlers {
  /** Each resolves true when the step was taken. */
  acknowledge: () => Promise<boolean>;
  assign: (userId: string, name: string) => Promise<boolean>;
  note: (text: string) => Promise<boolean>;
  close: (outcome: CloseOutcome, note: string) => Promise<boolean>;
}

const NOTE_MAX = 4000;

export function AlertActions({
  alert,
  userId,
  busy,
  actions,
  onAssignees,
}: {
  alert: AlertDetail;
  userId: string;
  /** A step is under way: every button waits. */
  busy: string | null;
  actions: AlertActionHandlers;
  /** Tells the page the names it can now show on the timeline. */
  onAssignees?: (users: { id: string; name: string }[]) => void;
}) {
  const canAssign = ['open', 'acknowledged', 'in_review'].includes(alert.status);
  return (
    <section className="panel alert-actions" aria-labelledby="alert-actions-title">
      <h2 id="alert-actions-title" tabIndex={-1}>
        Actions
      </h2>
      {alert.status === 'open' ? (
        <div className="alert-action">
          <p className="small muted">
            Acknowledging tells everyone else who received this alert that you have seen it and are looking at it.
          </p>
          <button type="button" className="button" disabled={busy !== null} onClick={() => void actions.acknowledge()}>
            {busy === 'acknowledge' ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        </div>
      ) : null}
      {canAssign ? (
        <AssignForm alertId={alert.id} current={alert.assignee?.id ?? null} userId={userId} busy={busy} assign={actions.assign} onAssignees={onAssignees} />
      ) : null}
      <NoteForm busy={busy} note={actions.note} />
      <CloseForm busy={busy} close={actions.close} />
    </section>
  );
}

type AssigneesLoad = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; users: { id: string; name: string }[] };

function AssignForm({
  alertId,
  current,
  userId,
  busy,
  assign,
  onAssignees,
}: {
  alertId: string;
  current: string | null;
  userId: string;
  busy: string | null;
  assign: AlertActionHandlers['assign'];
  onAssignees?: (users: { id: string; name: string }[]) => void;
}) {
  const [load, setLoad] = useState<AssigneesLoad>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onAssigneesRef = useRef(onAssignees);
  useEffect(() => {
    onAssigneesRef.current = onAssignees;
  });

  useEffect(() => {
    let live = true;
    alertsApi.assignees(alertId).then(
      ({ users }) => {
        if (!live) return;
        setLoad({ status: 'ready', users });
        onAssigneesRef.current?.(users);
      },
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [alertId, version]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (load.status !== 'ready') return;
    const user = load.users.find((u) => u.id === choice);
    if (!user) {
      setError('Choose who to give this alert to.');
      return;
    }
    setError(null);
    if (await assign(user.id, user.id === userId ? 'you' : user.name)) setChoice('');
  }

  const errorId = 'alert-assign-error';
  return (
    <form className="alert-action form" aria-labelledby="alert-assign-title" onSubmit={submit} noValidate>
      <h3 id="alert-assign-title">Assign</h3>
      {load.status === 'loading' ? <p className="muted">Loading the people you can assign it to…</p> : null}
      {load.status === 'error' ? (
        <p>
          {load.message}{' '}
          <button type="button" className="button-link" onClick={() => setVersion((v) => v + 1)}>
            Try again
          </button>
        </p>
      ) : null}
      {load.status === 'ready' ? (
        load.users.length === 0 ? (
          <p className="muted">Nobody in your agency can be given this alert.</p>
        ) : (
          <>
            <SelectField
              label="Give this alert to"
              name="assignee"
              hint="People in your agency who can see this alert. It moves to “in review”."
              value={choice}
              onChange={(e) => setChoice(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-errormessage={error ? errorId : undefined}
              className="field-narrow"
            >
              <option value="">Choose a person</option>
              {load.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.id === userId ? `${u.name} (you)` : u.name}
                  {u.id === current ? ' (has it now)' : ''}
                </option>
              ))}
            </SelectField>
            <FieldError id={errorId} message={error} />
            <button type="submit" className="button button-secondary" disabled={busy !== null}>
              {busy === 'assign' ? 'Assigning…' : 'Assign'}
            </button>
          </>
        )
      ) : null}
    </form>
  );
}

function NoteForm({ busy, note }: { busy: string | null; note: AlertActionHandlers['note'] }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const errorId = 'alert-note-error';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) {
      setError('Write the note first.');
      ref.current?.focus();
      return;
    }
    if (trimmed.length > NOTE_MAX) {
      setError(`Notes can be at most ${NOTE_MAX} characters; this one has ${trimmed.length}.`);
      ref.current?.focus();
      return;
    }
    setError(null);
    if (await note(trimmed)) {
      setText('');
      ref.current?.focus();
    }
  }

  return (
    <form className="alert-action form" aria-labelledby="alert-note-title" onSubmit={submit} noValidate>
      <h3 id="alert-note-title">Add a note</h3>
      <TextAreaField
        ref={ref}
        label="Note"
        name="note"
        hint="Everyone who can see this alert can read it. Record what was done or decided, not more personal detail than needed."
        value={text}
        maxLength={NOTE_MAX}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-errormessage={error ? errorId : undefined}
      />
      <FieldError id={errorId} message={error} />
      <button type="submit" className="button button-secondary" disabled={busy !== null}>
        {busy === 'note' ? 'Adding…' : 'Add note'}
      </button>
    </form>
  );
}

function CloseForm({ busy, close }: { busy: string | null; close: AlertActionHandlers['close'] }) {
  const [outcome, setOutcome] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<{ field: 'outcome' | 'note'; message: string } | null>(null);
  const outcomeRef = useRef<HTMLSelectElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const errorId = 'alert-close-error';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isCloseOutcome(outcome)) {
      setError({ field: 'outcome', message: 'Choose an outcome before closing the alert.' });
      outcomeRef.current?.focus();
      return;
    }
    const note = text.trim();
    if (outcome === 'other' && !note) {
      setError({ field: 'note', message: 'Say what the outcome was in the closing note.' });
      noteRef.current?.focus();
      return;
    }
    setError(null);
    await close(outcome, note);
  }

  const invalid = (field: 'outcome' | 'note') => (error?.field === field ? { 'aria-invalid': true, 'aria-errormessage': errorId } : {});

  return (
    <form className="alert-action form alert-close" aria-labelledby="alert-close-title" onSubmit={submit} noValidate>
      <h3 id="alert-close-title">Close the alert</h3>
      <SelectField
        ref={outcomeRef}
        label="Outcome"
        name="outcome"
        value={outcome}
        onChange={(e) => setOutcome(e.target.value)}
        className="field-narrow"
        {...invalid('outcome')}
      >
        <option value="">Choose an outcome</option>
        {CLOSE_OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {OUTCOME_LABELS[o]}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        ref={noteRef}
        label="Closing note (optional)"
        name="closingNote"
        hint="Why it is being closed, and anything the next person to see this person should know."
        value={text}
        maxLength={NOTE_MAX}
        onChange={(e) => setText(e.target.value)}
        {...invalid('note')}
      />
      <FieldError id={errorId} message={error?.message} />
      <button type="submit" className="button" disabled={busy !== null}>
        {busy === 'close' ? 'Closing…' : 'Close the alert'}
      </button>
    </form>
  );
}

/** A form's error message, announced, and named by the invalid field's `aria-errormessage`. */
function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  return message ? (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}
