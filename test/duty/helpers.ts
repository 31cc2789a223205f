/**
 * Scenes for the out-of-hours duty tests: an agency with a rota per escalation level, alerts
 * created directly with the Alert model, a clock that starts wherever the test says and runs at
 * real speed (so BullMQ's real delays and the routing clock agree), and an escalation policy
 * with deadlines of about a second.
 */
import { Types } from 'mongoose';
import { domainConfig, type EscalationConfig } from '../../config/domain';
import { Alert, openKeyOf } from '../../server/models/Alert';
import { RotaPattern } from '../../server/models/RotaPattern';
import { OnCallShift } from '../../server/models/OnCallShift';
import type { AgencyDoc } from '../../server/models/Agency';
import type { RealtimeControl } from '../../server/context';
import { buildAgency, buildUser, type BuiltUser } from '../helpers/factories';

/** A clock that reads `startIso` now and moves forward with real time. */
export function clockFrom(startIso: string): () => Date {
  const offset = Date.parse(startIso) - Date.now();
  return () => new Date(Date.now() + offset);
}

/** A fixed clock. */
export const fixedClock = (iso: string) => () => new Date(iso);

/** The shipped policy with every deadline shortened to `seconds` (and reminders to `reNotifySeconds`). */
export function quickPolicy(seconds: number, reNotifySeconds: number | null = null): EscalationConfig {
  const base = domainConfig().escalation;
  const minutes = seconds / 60;
  return {
    ...base,
    ackDeadlineMinutes: { critical: minutes, high: minutes, medium: minutes, low: null },
    reNotifyAfterAckMinutes: reNotifySeconds === null ? { critical: null, high: null, medium: null, low: null } : { critical: reNotifySeconds / 60, high: reNotifySeconds / 60, medium: reNotifySeconds / 60, low: null },
  };
}

/** Every socket emit, for assertions: one entry per room (an emit to several rooms gives several). */
export function recordingRealtime(): Pick<RealtimeControl, 'emit'> & { events: { room: string; event: string; payload: Record<string, unknown> }[] } {
  const events: { room: string; event: string; payload: Record<string, unknown> }[] = [];
  return {
    events,
    emit: (rooms, event, payload) => {
      for (const room of typeof rooms === 'string' ? [rooms] : rooms) events.push({ room, event, payload: payload as Record<string, unknown> });
    },
  };
}

const ALL_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Makes `user` on call around the clock for `level` in `agency` (null: the shared rota). */
export async function onCallAllWeek(agency: AgencyDoc | null, level: string, user: BuiltUser): Promise<void> {
  await RotaPattern.create({ agencyId: agency?._id ?? null, level, slots: [{ days: ALL_WEEK, start: '00:00', end: '00:00', userId: user.user._id }] });
}

/** An agency with a duty manager, a senior and a director on call around the clock. */
export async function dutyScene(props: { kind?: 'police' | 'gp' | 'mental_health' } = {}) {
  const agency = await buildAgency({ kind: props.kind ?? 'police' });
  const dm = await buildUser({ roles: ['duty_manager'], agency });
  const senior = await buildUser({ roles: ['duty_manager'], agency });
  const director = await buildUser({ roles: ['duty_manager'], agency });
  await onCallAllWeek(agency, 'duty_manager', dm);
  await onCallAllWeek(agency, 'senior_on_call', senior);
  await onCallAllWeek(agency, 'director_on_call', director);
  return { agency, dm, senior, director };
}

/** A one-off cover period. */
export async function cover(agency: AgencyDoc | null, level: string, user: BuiltUser, from: Date, to: Date, source: 'override' | 'swap' = 'override') {
  return OnCallShift.create({ agencyId: agency?._id ?? null, level, userId: user.user._id, from, to, source, createdBy: user.user._id });
}

/** An open alert whose evidence comes from `agency` (no encounters: evidenceAgencyIds decides). */
export async function buildDutyAlert(agency: AgencyDoc, props: { severity?: 'low' | 'medium' | 'high' | 'critical'; status?: 'open' | 'acknowledged' | 'closed' } = {}) {
  const personId = new Types.ObjectId();
  const ruleId = 'multi_agency_30d';
  return Alert.create({
    personId,
    ruleId,
    severity: props.severity ?? 'high',
    status: props.status ?? 'open',
    openKey: props.status === 'closed' ? undefined : openKeyOf(personId, ruleId),
    evidenceAgencyIds: [agency._id],
    sharingState: 'consented',
    audience: { mode: 'panel', agencyIds: [agency._id], roles: ['panel_member'] },
    timeline: [{ at: new Date(), kind: 'raised' }],
  });
}

export { until } from '../helpers/until';
