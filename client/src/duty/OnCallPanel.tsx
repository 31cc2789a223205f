/** Who is on call now at each level of the escalation ladder, and until when. */
import type { OnCallLevel } from '../api/duty';
import { shortTime } from './time';

/** `horizon`: the end of the period the rota was read for; cover reaching it goes on "at least" that long. */
export function OnCallPanel({ levels, horizon }: { levels: OnCallLevel[]; horizon?: string }) {
  return (
    <section className="panel" aria-labelledby="on-call-title">
      <h2 id="on-call-title">On call now</h2>
      <dl className="on-call-list">
        {levels.map((l) => (
          <div key={l.level}>
            <dt>{l.label}</dt>
            <dd>
              {l.onCall ? (
                <>
                  {l.onCall.userName}
                  <span className="cell-sub">
                    until {horizon && Date.parse(l.onCall.to) >= Date.parse(horizon) ? 'at least ' : ''}
                    <time dateTime={l.onCall.to}>{shortTime(l.onCall.to)}</time>
                    {l.onCall.shared ? ' · shared rota' : ''}
                    {l.onCall.source !== 'weekly' ? ` · ${l.onCall.source}` : ''}
                  </span>
                </>
              ) : (
                <strong className="duty-gap">Nobody on call</strong>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
