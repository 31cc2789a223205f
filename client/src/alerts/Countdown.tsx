/**
 * Time left to acknowledge an alert, refreshed every 15 seconds. Not a live region: a ticking
 * clock read aloud would drown everything else; the deadline itself is in the `<time>`.
 */
import { useEffect, useState } from 'react';
import { formatDateTime } from '../people/vocab';
import { deadlineText } from './vocab';

const TICK_MS = 15_000;

/** The current time, updated every `ms`. */
export function useNow(ms = TICK_MS): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

export function Countdown({ deadline }: { deadline: string }) {
  const now = useNow();
  const { text, overdue } = deadlineText(deadline, now);
  return (
    <span className={`alert-countdown${overdue ? ' alert-countdown-overdue' : ''}`}>
      {text}{' '}
      <span className="alert-countdown-at">
        (by <time dateTime={deadline}>{formatDateTime(deadline)}</time>)
      </span>
    </span>
  );
}
