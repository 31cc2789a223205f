import '../../server/store/connection';
import { useWorkerEnv } from '../helpers/workerContext';
import { domainConfig } from '../../config/domain';
import { Alert } from '../../server/models/Alert';
import { AlertDelivery } from '../../server/models/AlertDelivery';
import { AuditEvent } from '../../server/models/AuditEvent';
import { RotaPattern } from '../../server/models/RotaPattern';
import { decideRoute, routeAlert } from '../../server/duty/router';
import { resolveDuty } from '../../server/duty/options';
import { QUEUE_NAMES } from '../../workers/queues';
import { buildAgency, buildUser } from '../helpers/factories';
import { buildEncounter } from '../helpers/people';
import { buildDutyAlert, dutyScene, fixedClock, onCallAllWeek, recordingRealtime } from './helpers';

const { ctx } = useWorkerEnv('duty_routing');

const escalation = domainConfig().escalation;
const police = { kind: 'police' as const };

function depsAt(iso: string) {
  const realtime = recordingRealtime();
  return { deps: { queue: ctx.queue, realtime, duty: resolveDuty({ now: fixedClock(iso), settings: { publicUrl: 'https://ccw.example.test' } }) }, realtime };
}

describe('decideRoute: in or out of hours (Europe/London)', () => {
  it.each([
    ['a weekday at 17:59 (BST)', '2026-06-10T16:59:00Z', 'in_hours'],
    ['a weekday at 18:01 (BST)', '2026-06-10T17:01:00Z', 'out_of_hours'],
    ['a weekday at 17:59 (GMT)', '2026-01-14T17:59:00Z', 'in_hours'],
    ['a weekday at 18:01 (GMT)', '2026-01-14T18:01:00Z', 'out_of_hours'],
    ['a Saturday at 11:00', '2026-06-13T10:00:00Z', 'out_of_hours'],
    ['a bank holiday Monday at 11:00', '2026-08-31T10:00:00Z', 'out_of_hours'],
    ['Christmas Day 2027 (Saturday) → substitute Monday 27 Dec at 11:00', '2027-12-27T11:00:00Z', 'out_of_hours'],
    ['17:30 UTC on the Friday before the clocks go forward (17:30 GMT)', '2026-03-27T17:30:00Z', 'in_hours'],
    ['17:30 UTC on the Monday after (18:30 BST)', '2026-03-30T17:30:00Z', 'out_of_hours'],
    ['08:30 UTC on the Friday before the clocks go back (09:30 BST)', '2026-10-23T08:30:00Z', 'in_hours'],
    ['08:30 UTC on the Monday after (08:30 GMT)', '2026-10-26T08:30:00Z', 'out_of_hours'],
  ])('a high alert on %s → %s', (_name, iso, mode) => {
    expect(decideRoute(new Date(iso), police, 'high', escalation).mode).toBe(mode);
  });

  it('keeps a low alert with the panel even out of hours (below outOfHoursMinSeverity)', () => {
    expect(decideRoute(new Date('2026-06-13T01:10:00Z'), police, 'low', escalation)).toEqual({ mode: 'in_hours', outOfHours: true });
  });

  it('gives each severity its deadline from escalation.json', () => {
    const at = new Date('2026-06-13T01:10:00Z');
    expect(decideRoute(at, police, 'critical', escalation)).toEqual({ mode: 'out_of_hours', ackMs: 10 * 60_000 });
    expect(decideRoute(at, police, 'high', escalation)).toEqual({ mode: 'out_of_hours', ackMs: 15 * 60_000 });
    expect(decideRoute(at, police, 'medium', escalation)).toEqual({ mode: 'out_of_hours', ackMs: 60 * 60_000 });
  });
});

describe('routeAlert', () => {
  it('sends an alert raised at 18:01 to the level-1 duty manager on call, with a deadline, a timeline entry, an audit event, an in-app hint and a delayed escalation job', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'high' });
    const { deps, realtime } = depsAt('2026-06-10T17:01:00Z');

    const result = await routeAlert(deps, alert.id);

    expect(result).toMatchObject({ outcome: 'out_of_hours', userIds: [dm.user.id] });
    const after = await Alert.findById(alert._id).orFail();
    expect(after.routedTo).toMatchObject({ mode: 'out_of_hours', level: 1 });
    expect(after.routedTo?.userIds.map(String)).toEqual([dm.user.id]);
    expect(String(after.routedTo?.agencyId)).toBe(agency.id);
    expect(after.ackDeadline?.toISOString()).toBe('2026-06-10T17:16:00.000Z');
    expect(after.timeline.filter((e) => e.kind === 'routed')).toHaveLength(1);
    expect(await AuditEvent.countDocuments({ action: 'alert.route', 'subject.id': alert.id })).toBe(1);
    expect(realtime.events).toContainEqual({
      room: `user:${dm.user.id}`,
      event: 'alert:routed',
      payload: { id: alert.id, severity: 'high', reason: 'routed', deadline: '2026-06-10T17:16:00.000Z' },
    });
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, recipient: dm.user.id, channel: 'in_app', reason: 'routed', status: 'sent' })).toBe(1);
    const job = await ctx.queue(QUEUE_NAMES.escalation).getJob(`escalate-${alert.id}-r0-senior_on_call`);
    expect(job?.data).toEqual({ alertId: alert.id, step: 1 });
    expect(await job?.isDelayed()).toBe(true);
    expect(job?.opts.delay).toBe(15 * 60_000);
  });

  it('records an alert raised at 17:59 as in hours, tells nobody itself and schedules nothing', async () => {
    const { agency } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'high' });
    const { deps, realtime } = depsAt('2026-06-10T16:59:00Z');
    expect(await routeAlert(deps, alert.id)).toEqual({ outcome: 'in_hours', outOfHours: false });
    const after = await Alert.findById(alert._id).orFail();
    expect(after.routedTo?.mode).toBe('in_hours');
    expect(after.ackDeadline).toBeNull();
    expect(realtime.events).toHaveLength(0);
    expect(await ctx.queue(QUEUE_NAMES.escalation).getJob(`escalate-${alert.id}-r0-senior_on_call`)).toBeUndefined();
  });

  it.each([
    ['Saturday 02:10', '2026-06-13T01:10:00Z'],
    ['the summer bank holiday at 11:00', '2026-08-31T10:00:00Z'],
    ['the Monday after the clocks go forward at 18:30 BST', '2026-03-30T17:30:00Z'],
  ])('routes out of hours on %s', async (_name, iso) => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'medium' });
    const { deps } = depsAt(iso);
    expect(await routeAlert(deps, alert.id)).toMatchObject({ outcome: 'out_of_hours', userIds: [dm.user.id] });
    expect((await Alert.findById(alert._id).orFail()).ackDeadline?.getTime()).toBe(Date.parse(iso) + 60 * 60_000);
  });

  it('is idempotent: routing the same alert again changes nothing and tells nobody twice', async () => {
    const { agency } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    const { deps, realtime } = depsAt('2026-06-13T01:10:00Z');
    await routeAlert(deps, alert.id);
    const again = await Promise.all([routeAlert(deps, alert.id), routeAlert(deps, alert.id)]);
    expect(again.every((r) => r.outcome === 'skipped')).toBe(true);
    const after = await Alert.findById(alert._id).orFail();
    expect(after.timeline.filter((e) => e.kind === 'routed')).toHaveLength(1);
    expect(realtime.events.filter((e) => e.event === 'alert:routed')).toHaveLength(1);
  });

  it('falls back to the shared rota when the agency has nobody of its own on call', async () => {
    const agency = await buildAgency();
    const sharedAgency = await buildAgency();
    const panelManager = await buildUser({ roles: ['duty_manager'], agency: sharedAgency });
    await onCallAllWeek(null, 'duty_manager', panelManager);
    const alert = await buildDutyAlert(agency);
    const { deps } = depsAt('2026-06-13T01:10:00Z');
    expect(await routeAlert(deps, alert.id)).toMatchObject({ outcome: 'out_of_hours', userIds: [panelManager.user.id] });
    const after = await Alert.findById(alert._id).orFail();
    expect(after.timeline.find((e) => e.kind === 'routed')?.detail).toMatchObject({ shared: true });
  });

  it('with nobody on call at level 1 makes the first escalation due at once', async () => {
    await RotaPattern.deleteMany({ agencyId: null });
    const agency = await buildAgency();
    const alert = await buildDutyAlert(agency);
    const { deps } = depsAt('2026-06-13T01:10:00Z');
    const result = await routeAlert(deps, alert.id);
    expect(result).toMatchObject({ outcome: 'out_of_hours', userIds: [] });
    const after = await Alert.findById(alert._id).orFail();
    expect(after.ackDeadline?.toISOString()).toBe('2026-06-13T01:10:00.000Z');
    expect(after.timeline.find((e) => e.kind === 'routed')?.detail).toMatchObject({ nobodyOnCall: true });
  });

  it("follows the hours of the most recent evidence encounter's agency (a GP practice is open until 18:30)", async () => {
    const police = await buildAgency({ kind: 'police' });
    const gp = await buildAgency({ kind: 'gp' });
    const older = await buildEncounter(police, { givenName: 'Alex', familyName: 'Example', dateOfBirth: '1990-01-01' }, { occurredAt: new Date('2026-06-01T10:00:00Z') });
    const newer = await buildEncounter(gp, { givenName: 'Alex', familyName: 'Example', dateOfBirth: '1990-01-01' }, { occurredAt: new Date('2026-06-09T10:00:00Z') });
    const alert = await buildDutyAlert(police);
    // As detection writes it: evidence newest first, its agencies in that order.
    await Alert.updateOne({ _id: alert._id }, { $set: { evidence: [newer._id, older._id], evidenceAgencyIds: [gp._id, police._id] } });
    const { deps } = depsAt('2026-06-10T17:15:00Z'); // 18:15 BST: police closed, GP open
    expect(await routeAlert(deps, alert.id)).toEqual({ outcome: 'in_hours', outOfHours: false });
    expect(String((await Alert.findById(alert._id).orFail()).routedTo?.agencyId)).toBe(gp.id);
  });

  it('leaves acknowledged and closed alerts alone', async () => {
    const { agency } = await dutyScene();
    const acknowledged = await buildDutyAlert(agency, { status: 'acknowledged' });
    const closed = await buildDutyAlert(agency, { status: 'closed' });
    const { deps } = depsAt('2026-06-13T01:10:00Z');
    expect(await routeAlert(deps, acknowledged.id)).toEqual({ outcome: 'skipped', reason: 'not_open' });
    expect(await routeAlert(deps, closed.id)).toEqual({ outcome: 'skipped', reason: 'not_open' });
  });

  it('brings the deadline forward when the severity rises while the duty manager has it', async () => {
    const { agency } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'medium' });
    const { deps } = depsAt('2026-06-13T01:10:00Z');
    await routeAlert(deps, alert.id);
    await Alert.updateOne({ _id: alert._id }, { $set: { severity: 'critical' } });
    const later = depsAt('2026-06-13T01:12:00Z');
    expect(await routeAlert(later.deps, alert.id)).toEqual({ outcome: 'deadline_shortened', deadline: new Date('2026-06-13T01:22:00Z') });
    const job = await ctx.queue(QUEUE_NAMES.escalation).getJob(`escalate-${alert.id}-r0-senior_on_call`);
    expect(job?.delay).toBe(10 * 60_000);
  });
});
