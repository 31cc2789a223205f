import { useNow } from '../alerts/Countdown';
import { countdownText } from './time';

/**
 * Time left to acknowledge, ticking each second. `skewMs` corrects the browser's clock by the
 * server's. Not a live region: a ticking announcement would drown everything else out.
 */
export function Countdown({ deadline, skewMs }: { deadline: string; skewMs: number }) {
  const now = useNow(1000) + skewMs;
  const deadlineMs = Date.parse(deadline);
  const overdue = now > deadlineMs;
  return (
    <time dateTime={deadline} className={`countdown${overdue ? ' countdown-overdue' : ''}`} data-testid="countdown">
      {countdownText(deadlineMs, now)}
    </time>
  );
}
