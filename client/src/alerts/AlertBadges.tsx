/** Severity and status pills for alerts; the words carry the meaning, colour only adds to it. */
import { Badge } from '../components/Badge';
import { severityLabel, statusShort } from './vocab';

const KNOWN_SEVERITIES = ['low', 'medium', 'high', 'critical'];

export function SeverityBadge({ severity }: { severity: string }) {
  const tone = KNOWN_SEVERITIES.includes(severity) ? severity : 'unknown';
  return <span className={`alert-severity alert-severity-${tone}`}>{severityLabel(severity)} severity</span>;
}

export function StatusBadge({ status }: { status: string }) {
  const tone = status === 'open' ? 'warn' : status === 'closed' ? 'muted' : 'neutral';
  return <Badge tone={tone}>{statusShort(status)}</Badge>;
}
