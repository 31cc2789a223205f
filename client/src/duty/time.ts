/** Countdown arithmetic and wording for the duty console. */

/** "12:05 left", "1:02:10 left" or "Overdue by 0:42". */
export function countdownText(deadlineMs: number, nowMs: number): string {
  const diff = deadlineMs - nowMs;
  const total = Math.floor(Math.abs(diff) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  return diff >= 0 ? `${clock} left` : `Overdue by ${clock}`;
}

/** "14:05" today, or "Sat 13 Jun, 02:10". */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay
    ? d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
