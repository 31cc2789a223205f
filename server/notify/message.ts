/**
 * What a notification says. Only the link, the severity, the reason and the deadline: the person
 * behind an alert is never named in a message that leaves the workspace (email and pager
 * gateways are outside our audit trail).
 */
import type { NotifySettings } from '../duty/options';
import { domainConfig } from '../../config/domain';

/** Why someone is told: `routed`, `escalation:r0:senior_on_call`, `handover:<id>`, `re_notify:1`, ... */
export type NotifyReason = string;

/** The facts a message may carry. */
export interface AlertNotice {
  alertId: string;
  severity: string;
  reason: NotifyReason;
  /** When acknowledgement is due, if there is a deadline. */
  deadline: Date | null;
  /** The escalation level now responsible (1 = duty manager). */
  level: number | null;
}

/** The link to an alert in the workspace (sign-in required to see anything). */
export function alertLink(settings: Pick<NotifySettings, 'publicUrl'>, alertId: string): string {
  return `${settings.publicUrl}/alerts/${encodeURIComponent(alertId)}`;
}

const WHY: Record<string, string> = {
  routed: 'An out-of-hours alert needs your acknowledgement.',
  escalation: 'An alert was not acknowledged in time and has been escalated to you.',
  handover: 'An alert has been handed over to you at the change of shift.',
  handed_over: 'Your alerts have been handed over to the incoming duty manager.',
  re_notify: 'An alert you acknowledged has had no action since. Please review it.',
  taken: 'An alert routed to you has been taken by a colleague.',
};

/** The reason's kind (`escalation:r0:senior_on_call` → `escalation`). */
export const reasonKind = (reason: NotifyReason): string => reason.split(':')[0];

/** "02:25 BST, Sat 13 Jun 2026" in the workspace's time zone. */
function localTime(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: domainConfig().businessHours.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('hour')}:${get('minute')} ${get('timeZoneName')}, ${get('weekday')} ${get('day')} ${get('month')} ${get('year')}`;
}

/** Email subject and plain-text body. */
export function emailMessage(settings: Pick<NotifySettings, 'publicUrl'>, n: AlertNotice): { subject: string; text: string } {
  const severity = n.severity.toUpperCase();
  const lines = [
    WHY[reasonKind(n.reason)] ?? 'An alert needs your attention.',
    '',
    `Severity: ${severity}`,
    n.deadline ? `Acknowledge by: ${localTime(n.deadline)}` : null,
    `Open it: ${alertLink(settings, n.alertId)}`,
    '',
    'Sign in to the workspace to see the details. This message holds no personal information by design.',
  ];
  return { subject: `[${severity}] Crisis care alert needs attention`, text: lines.filter((l) => l !== null).join('\n') };
}

/** The JSON body sent to a webhook (signed as raw bytes). */
export function webhookBody(settings: Pick<NotifySettings, 'publicUrl'>, n: AlertNotice, userIds: string[], deliveryId: string): string {
  return JSON.stringify({
    type: 'alert.notification',
    deliveryId,
    alertId: n.alertId,
    severity: n.severity,
    reason: reasonKind(n.reason),
    level: n.level,
    deadline: n.deadline ? n.deadline.toISOString() : null,
    link: alertLink(settings, n.alertId),
    /** Workspace user ids the gateway maps to pagers or phone numbers it holds itself. */
    userIds,
  });
}
