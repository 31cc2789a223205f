import '../../server/store/connection';
import { useWorkerEnv } from '../helpers/workerContext';
import { Alert } from '../../server/models/Alert';
import { AlertDelivery } from '../../server/models/AlertDelivery';
import { HandoverNote } from '../../server/models/HandoverNote';
import { routeAlert } from '../../server/duty/router';
import { sweepShiftEnds, takeAlert } from '../../server/duty/handover';
import { resolveDuty } from '../../server/duty/options';
import { buildAgency, buildUser } from '../helpers/factories';
import { buildDutyAlert, cover, fixedClock, onCallAllWeek, recordingRealtime } from './helpers';

const { ctx } = useWorkerEnv('duty_handover');

const depsAt = (iso: string, realtime = recordingRealtime()) => ({ queue: ctx.queue, realtime, duty: resolveDuty({ now: fixedClock(iso), settings: { publicUrl: 'https://ccw.example.test' } }) });

describe('shift handover', () => {
  it('at shift end passes the outgoing manager\'s open and acknowledged alerts, and only those, to the incoming one with the handover note; both are told', async () => {
    const agency = await buildAgency();
    const [outgoing, incoming, colleague] = await Promise.all([0, 1, 2].map(() => buildUser({ roles: ['duty_manager'], agency })));
    const senior = await buildUser({ roles: ['duty_manager'], agency });
    // Friday night: outgoing until 02:00 UTC Saturday, incoming after.
    await cover(agency, 'duty_manager', outgoing, new Date('2026-06-12T17:00:00Z'), new Date('2026-06-13T02:00:00Z'));
    await cover(agency, 'duty_manager', incoming, new Date('2026-06-13T02:00:00Z'), new Date('2026-06-13T08:00:00Z'));
    await onCallAllWeek(agency, 'senior_on_call', senior);

    const open = await buildDutyAlert(agency);
    const acknowledged = await buildDutyAlert(agency);
    const closed = await buildDutyAlert(agency);
    const taken = await buildDutyAlert(agency);
    for (const a of [open, acknowledged, closed, taken]) await routeAlert(depsAt('2026-06-12T23:00:00Z'), a.id);
    await Alert.updateOne({ _id: acknowledged._id }, { $set: { status: 'acknowledged', acknowledgedBy: outgoing.user._id, acknowledgedAt: new Date('2026-06-12T23:05:00Z') } });
    await Alert.updateOne({ _id: closed._id }, { $set: { status: 'closed' }, $unset: { openKey: 1 } });
    // A colleague not on call takes one: it stays with them at shift change.
    await takeAlert(depsAt('2026-06-12T23:10:00Z'), (await Alert.findById(taken._id).orFail()), colleague.user);
    await HandoverNote.create({ userId: outgoing.user._id, agencyId: agency._id, text: 'Two alerts waiting on the crisis team callback.' });

    // Still on shift: nothing moves.
    expect(await sweepShiftEnds(depsAt('2026-06-13T01:59:00Z'))).toEqual({ moved: 0, noIncoming: 0 });

    const realtime = recordingRealtime();
    const result = await sweepShiftEnds(depsAt('2026-06-13T02:00:30Z', realtime));
    expect(result).toEqual({ moved: 2, noIncoming: 0 });
    for (const a of [open, acknowledged]) {
      const after = await Alert.findById(a._id).orFail();
      expect(after.routedTo?.userIds.map(String)).toEqual([incoming.user.id]);
      const entry = after.timeline.find((e) => e.kind === 'handed_over');
      expect(entry?.text).toBe('Two alerts waiting on the crisis team callback.');
      expect(entry?.detail).toMatchObject({ from: outgoing.user.id, to: incoming.user.id, automatic: true });
    }
    expect((await Alert.findById(closed._id).orFail()).routedTo?.userIds.map(String)).toEqual([outgoing.user.id]);
    expect((await Alert.findById(taken._id).orFail()).routedTo?.userIds.map(String)).toEqual([colleague.user.id]);
    expect(realtime.events.filter((e) => e.room === `user:${incoming.user.id}`)).toHaveLength(2);
    expect(realtime.events.filter((e) => e.room === `user:${outgoing.user.id}`)).toHaveLength(2);
    expect(await AlertDelivery.countDocuments({ alertId: open._id, recipient: incoming.user.id, reason: /^handover:/ })).toBe(1);
    expect(await HandoverNote.countDocuments({ userId: outgoing.user._id, usedAt: null })).toBe(0);

    // Running the sweep again moves nothing more.
    expect(await sweepShiftEnds(depsAt('2026-06-13T02:01:30Z'))).toEqual({ moved: 0, noIncoming: 0 });
  });

  it('leaves alerts with the outgoing manager, and counts them, when nobody comes on', async () => {
    const agency = await buildAgency();
    const outgoing = await buildUser({ roles: ['duty_manager'], agency });
    await cover(agency, 'duty_manager', outgoing, new Date('2026-06-12T17:00:00Z'), new Date('2026-06-13T02:00:00Z'));
    const alert = await buildDutyAlert(agency);
    await routeAlert(depsAt('2026-06-12T23:00:00Z'), alert.id);
    const result = await sweepShiftEnds(depsAt('2026-06-13T02:00:30Z'));
    expect(result.noIncoming).toBeGreaterThanOrEqual(1);
    expect((await Alert.findById(alert._id).orFail()).routedTo?.userIds.map(String)).toEqual([outgoing.user.id]);
  });
});
