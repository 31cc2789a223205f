/**
 * One level's weekly pattern: its slots, and adding, changing or removing one, or deleting the
 * whole pattern. Every change saves the level's full list of slots with the version it was read
 * at, so an edit made on an out-of-date page is refused rather than overwriting someone else's.
 */
import { useEffect, useRef, useState } from 'react';
import type { Candidate, RotaLevel, SlotInput } from './rotaApi';
import { describeDays, describeHours } from './rotaTime';
import { SlotForm } from './SlotForm';

/**
 * How a change ended: `saved`; `failed` (the form stays open with the error); `reloaded` (the
 * rota changed underneath, so the page fetched it again and the editor closes over the new one).
 */
export type ChangeResult = 'saved' | 'failed' | 'reloaded';

/** What the panel asks the page to do. */
export interface PatternActions {
  save(level: RotaLevel, slots: SlotInput[], done: string): Promise<ChangeResult>;
  remove(level: RotaLevel): Promise<ChangeResult>;
}

type Editing = { kind: 'none' } | { kind: 'add' } | { kind: 'edit'; index: number } | { kind: 'confirm-slot'; index: number } | { kind: 'confirm-pattern' };

const plain = (s: SlotInput): SlotInput => ({ days: s.days, start: s.start, end: s.end, userId: s.userId });

export function PatternPanel({
  level,
  candidates,
  canManage,
  busy,
  error,
  actions,
}: {
  level: RotaLevel;
  candidates: Candidate[];
  canManage: boolean;
  busy: boolean;
  /** The last failure of a change to this level. */
  error: string | null;
  actions: PatternActions;
}) {
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const headingId = `rota-level-${level.level}`;
  const slots = level.pattern;

  useEffect(() => {
    if (editing.kind === 'confirm-slot' || editing.kind === 'confirm-pattern') confirmRef.current?.focus();
  }, [editing]);

  function close() {
    setEditing({ kind: 'none' });
    headingRef.current?.focus();
  }

  async function run(work: Promise<ChangeResult>) {
    if ((await work) !== 'failed') close();
  }

  const slotText = (i: number) => `${describeDays(slots[i].days)}, ${describeHours(slots[i].start, slots[i].end)}`;

  return (
    <section className="panel rota-level" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {level.label}
      </h2>
      {slots.length === 0 ? (
        <p className="muted">No weekly pattern: nobody is on call at this level unless an override or the shared rota covers it.</p>
      ) : (
        <div className="table-scroll">
          <table className="record-table">
            <caption>Weekly pattern: {level.label}</caption>
            <thead>
              <tr>
                <th scope="col">Days</th>
                <th scope="col">Hours (UK time)</th>
                <th scope="col">On call</th>
                {canManage ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {slots.map((slot, i) => (
                <tr key={`${i}-${slot.userId}-${slot.start}`}>
                  <td>{describeDays(slot.days)}</td>
                  <td>{describeHours(slot.start, slot.end)}</td>
                  <td>{slot.userName}</td>
                  {canManage ? (
                    <td>
                      <div className="button-row">
                        <button type="button" className="button button-secondary button-small" disabled={busy} onClick={() => setEditing({ kind: 'edit', index: i })} aria-label={`Edit ${slotText(i)}, ${slot.userName}`}>
                          Edit
                        </button>
                        <button type="button" className="button button-secondary button-small" disabled={busy} onClick={() => setEditing({ kind: 'confirm-slot', index: i })} aria-label={`Remove ${slotText(i)}, ${slot.userName}`}>
                          Remove
                        </button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canManage && editing.kind === 'none' ? (
        <div className="button-row">
          <button type="button" className="button" disabled={busy} onClick={() => setEditing({ kind: 'add' })}>
            Add a weekly slot<span className="visually-hidden"> for {level.label}</span>
          </button>
          {slots.length ? (
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => setEditing({ kind: 'confirm-pattern' })}>
              Delete the weekly pattern<span className="visually-hidden"> for {level.label}</span>
            </button>
          ) : null}
        </div>
      ) : null}

      {error && editing.kind !== 'add' && editing.kind !== 'edit' ? (
        <p role="alert" className="banner banner-error">
          {error}
        </p>
      ) : null}

      {editing.kind === 'add' || editing.kind === 'edit' ? (
        <SlotForm
          key={editing.kind === 'edit' ? `edit-${editing.index}` : 'add'}
          title={editing.kind === 'edit' ? `Change a weekly slot: ${level.label}` : `New weekly slot: ${level.label}`}
          initial={editing.kind === 'edit' ? slots[editing.index] ?? null : null}
          candidates={candidates}
          busy={busy}
          error={error}
          onCancel={close}
          onSave={(slot) => {
            const next = editing.kind === 'edit' ? slots.map((s, i) => (i === editing.index ? slot : plain(s))) : [...slots.map(plain), slot];
            void run(actions.save(level, next, editing.kind === 'edit' ? `Weekly slot changed: ${level.label}.` : `Weekly slot added: ${level.label}.`));
          }}
        />
      ) : null}

      {editing.kind === 'confirm-slot' && slots[editing.index] ? (
        <div className="confirm" role="group" aria-labelledby={`${headingId}-confirm`} ref={confirmRef} tabIndex={-1}>
          <p id={`${headingId}-confirm`} className="confirm-text">
            Remove {slotText(editing.index)} ({slots[editing.index].userName}) from the {level.label} pattern? Nobody will be on call then unless someone else covers it.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() => void run(actions.save(level, slots.filter((_, i) => i !== editing.index).map(plain), `Weekly slot removed: ${level.label}.`))}
            >
              {busy ? 'Removing…' : 'Yes, remove it'}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={close}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}

      {editing.kind === 'confirm-pattern' ? (
        <div className="confirm" role="group" aria-labelledby={`${headingId}-confirm`} ref={confirmRef} tabIndex={-1}>
          <p id={`${headingId}-confirm`} className="confirm-text">
            Delete the whole {level.label} weekly pattern? Only overrides, swaps and the shared rota will cover this level.
          </p>
          <div className="button-row">
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void run(actions.remove(level))}>
              {busy ? 'Deleting…' : 'Yes, delete the pattern'}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={close}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
