/** The overrides and swaps in the window shown, with cancelling (confirmed) for rota managers. */
import { useEffect, useRef, useState } from 'react';
import type { Candidate, RotaLevel, RotaShift } from './rotaApi';
import { rotaDateTime } from './rotaTime';

export function ShiftList({
  shifts,
  levels,
  candidates,
  timeZone,
  canManage,
  busy,
  onCancel,
}: {
  shifts: RotaShift[];
  levels: RotaLevel[];
  candidates: Candidate[];
  timeZone: string;
  canManage: boolean;
  busy: boolean;
  onCancel: (shift: RotaShift) => Promise<unknown>;
}) {
  const [confirming, setConfirming] = useState<RotaShift | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const labelOf = (level: string) => levels.find((l) => l.level === level)?.label ?? level;
  const nameOf = (id: string | null) => candidates.find((c) => c.id === id)?.name ?? 'someone no longer on the rota';
  const describe = (s: RotaShift) => `${labelOf(s.level)}: ${s.userName}, ${rotaDateTime(s.from, timeZone)} to ${rotaDateTime(s.to, timeZone)}`;

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  if (shifts.length === 0) return <p className="muted">No overrides or swaps in this period.</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="record-table">
          <caption>Overrides and swaps</caption>
          <thead>
            <tr>
              <th scope="col">Level</th>
              <th scope="col">Kind</th>
              <th scope="col">On call</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              {canManage ? <th scope="col">Change</th> : null}
            </tr>
          </thead>
          <tbody>
            {shifts.map((s) => (
              <tr key={s.id}>
                <td>{labelOf(s.level)}</td>
                <td>{s.source === 'swap' ? 'Swap' : 'Override'}</td>
                <td>
                  {s.userName}
                  {s.source === 'swap' ? <span className="cell-sub">instead of {nameOf(s.replacesUserId)}</span> : null}
                </td>
                <td className="nowrap">
                  <time dateTime={s.from}>{rotaDateTime(s.from, timeZone)}</time>
                </td>
                <td className="nowrap">
                  <time dateTime={s.to}>{rotaDateTime(s.to, timeZone)}</time>
                </td>
                {canManage ? (
                  <td>
                    <button type="button" className="button button-secondary button-small" disabled={busy} onClick={() => setConfirming(s)} aria-label={`Cancel ${describe(s)}`}>
                      Cancel
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="rota-shift-confirm" ref={confirmRef} tabIndex={-1}>
          <p id="rota-shift-confirm" className="confirm-text">
            Cancel this {confirming.source} ({describe(confirming)})? The weekly pattern applies again for that period.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() => void onCancel(confirming).then(() => setConfirming(null))}
            >
              {busy ? 'Cancelling…' : `Yes, cancel the ${confirming.source}`}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => setConfirming(null)}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
    </>
  );
}
