/**
 * The "nobody on call" warning: every period in the next 14 days with nobody on call, per level,
 * with its dates. Shown at the top of the rota page; its summary is a live region, so a change
 * that opens or closes a gap is announced.
 */
import type { RotaLevel } from './rotaApi';
import { rotaDateTime } from './rotaTime';

/** Periods listed per level before "and N more". */
const SHOWN = 6;

export function RotaGaps({ levels, from, to, timeZone }: { levels: RotaLevel[]; from: string; to: string; timeZone: string }) {
  const short = levels.filter((l) => l.gaps.length > 0);
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  const summary =
    short.length === 0
      ? `Every level has someone on call for the next ${days} days.`
      : `Nobody on call at ${short.length === 1 ? 'one level' : `${short.length} levels`} in the next ${days} days: ${short.map((l) => l.label).join(', ')}.`;
  return (
    <section className={`panel rota-gaps ${short.length ? 'rota-gaps-warn' : 'rota-gaps-ok'}`} aria-labelledby="rota-gaps-title">
      <h2 id="rota-gaps-title">{short.length ? 'Gaps in cover' : 'Cover'}</h2>
      <p role="status" className="rota-gaps-summary">
        {summary}
      </p>
      {short.length ? (
        <ul className="rota-gap-levels">
          {short.map((l) => (
            <li key={l.level}>
              <h3>{l.label}</h3>
              <ul className="rota-gap-list">
                {l.gaps.slice(0, SHOWN).map((g) => (
                  <li key={g.from}>
                    Nobody from <time dateTime={g.from}>{g.from === from ? 'now' : rotaDateTime(g.from, timeZone)}</time> until
                    {g.to === to ? ' at least ' : ' '}
                    <time dateTime={g.to}>{rotaDateTime(g.to, timeZone)}</time>
                  </li>
                ))}
              </ul>
              {l.gaps.length > SHOWN ? <p className="hint">and {l.gaps.length - SHOWN} more periods</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
