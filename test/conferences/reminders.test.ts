/**
 * The action reminder job: owners are reminded before an action falls due, overdue actions are
 * flagged and the chair gets a follow-up task, once each (called directly, and through a worker).
 */
import type { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { directContext } from '../helpers/workerContext';
import { buildConferenceScene, connected, liveConference, openSocket } from './helpers';
import { conferenceActionReminders } from '../../workers/processors/conferenceActionReminders';
import { Conference } from '../../server/models/Conference';
import { Task } from '../../server/models/Task';
import { QUEUE_NAMES } from '../../workers/queues';
import type { Job } from 'bullmq';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp('conf_reminders', { workers: true });
});
afterAll(async () => {
  await app.close();
});

async function conferenceWithActions() {
  const s = await buildConferenceScene();
  const chair = await app.as(s.chair);
  const id = await liveConference(chair, s.personId, [s.trustMember]);
  const soon = new Date(Date.now() + 2 * 3_600_000).toISOString();
  const later = new Date(Date.now() + 10 * 86_400_000).toISOString();
  const first = await chair.post(`/api/conferences/${id}/actions`, { text: 'Due soon', ownerUserId: s.trustMember.user.id, dueAt: soon }).expect(201);
  const second = await chair.post(`/api/conferences/${id}/actions`, { text: 'Overdue', ownerUserId: s.trustMember.user.id, dueAt: soon }).expect(201);
  await chair.post(`/api/conferences/${id}/actions`, { text: 'Not yet', ownerUserId: s.trustMember.user.id, dueAt: later }).expect(201);
  // An action that fell due yesterday (the API refuses past dates, so move it in the store).
  await Conference.updateOne(
    { _id: id },
    { $set: { 'actions.$[a].dueAt': new Date(Date.now() - 86_400_000) } },
    { arrayFilters: [{ 'a.text': 'Overdue' }] },
  );
  return { s, id, soonId: first.body.itemId as string, overdueId: second.body.itemId as string };
}

describe('conferenceActionReminders', () => {
  it('reminds the owner once before the due time and flags an overdue action to the chair once', async () => {
    const { s, id, soonId, overdueId } = await conferenceWithActions();
    const emitted: { room: string; event: string; payload: object }[] = [];
    const ctx = directContext({ redis: app.runtime.ctx.redis, logger: app.runtime.ctx.logger, redisPrefix: app.config.redisPrefix, realtime: { emit: (rooms, event, payload) => [rooms].flat().forEach((room) => emitted.push({ room, event, payload })) } });
    const first = (await conferenceActionReminders({} as Job, ctx)) as { reminded: number; overdue: number };
    expect(first).toEqual(expect.objectContaining({ reminded: 2, overdue: 1 }));

    const conference = await Conference.findById(id);
    const byId = new Map(conference!.actions.map((a) => [String(a._id), a]));
    expect(byId.get(soonId)?.remindedAt).toBeInstanceOf(Date);
    expect(byId.get(soonId)?.overdueAt).toBeNull();
    expect(byId.get(overdueId)?.overdueAt).toBeInstanceOf(Date);
    expect([...byId.values()].find((a) => a.text === 'Not yet')?.remindedAt).toBeNull();

    const ownerRoom = `user:${s.trustMember.user.id}`;
    expect(emitted.filter((e) => e.room === ownerRoom).map((e) => e.event).sort()).toEqual(['conference:action_due', 'conference:action_due', 'conference:action_overdue']);
    const chairTasks = await Task.find({ assigneeUserId: s.chair.user._id as Types.ObjectId, kind: 'conference_action_overdue' });
    expect(chairTasks).toHaveLength(1);
    expect(String(chairTasks[0].subject?.id)).toBe(id);

    const second = (await conferenceActionReminders({} as Job, ctx)) as { reminded: number; overdue: number };
    expect(second).toEqual(expect.objectContaining({ reminded: 0, overdue: 0 }));
    expect(await Task.countDocuments({ kind: 'conference_action_overdue', dedupeKey: `conference_action_overdue:${overdueId}` })).toBe(1);
    await ctx.closeQueues();
  });

  it('skips actions that are done', async () => {
    const { s, id, overdueId } = await conferenceWithActions();
    const owner = await app.as(s.trustMember);
    await owner.patch(`/api/conferences/${id}/actions/${overdueId}`, { status: 'done' }).expect(200);
    const ctx = directContext({ redis: app.runtime.ctx.redis, logger: app.runtime.ctx.logger, redisPrefix: app.config.redisPrefix });
    const result = (await conferenceActionReminders({} as Job, ctx)) as { overdue: number };
    expect(result.overdue).toBe(0);
    expect((await Conference.findById(id))!.actions.find((a) => String(a._id) === overdueId)?.overdueAt).toBeNull();
    await ctx.closeQueues();
  });

  it('runs through a real worker and reaches the owner’s socket', async () => {
    const { s } = await conferenceWithActions();
    const owner = openSocket(app, (await app.as(s.trustMember)).cookie);
    await connected(owner);
    const heard = new Promise((resolve) => owner.once('conference:action_overdue', resolve));
    const job = await app.runtime.ctx.queue(QUEUE_NAMES.conferences).add('conferenceActionReminders', {});
    await expect(heard).resolves.toEqual(expect.objectContaining({ actionId: expect.any(String) }));
    expect(job.id).toBeDefined();
    owner.close();
  });
});
