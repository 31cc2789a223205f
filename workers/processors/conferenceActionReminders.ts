/**
 * Reminds owners of conference actions before they fall due, and flags overdue ones: the action is
 * marked (so it is done once), the owner's sockets get a hint, and for an overdue action the chair
 * gets a task to follow it up. Each step is a state-guarded update, so a retry or a second worker
 * does no harm.
 */
import { trusted, type Types } from 'mongoose';
import type { Processor } from '../context';
import { Conference } from '../../server/models/Conference';
import { raiseTask } from '../../server/commands/taskRaiser';
import { actionTaskKeys } from '../../server/conferences/items';

/** How long before an action's due time its owner is reminded. */
export const REMIND_BEFORE_MS = 24 * 3_600_000;

/** Marks one open action's flag (`remindedAt` / `overdueAt`) if nobody has yet; true when this call did. */
async function mark(conferenceId: unknown, actionId: Types.ObjectId, flag: 'remindedAt' | 'overdueAt', now: Date): Promise<boolean> {
  const res = await Conference.updateOne(
    { _id: conferenceId, actions: trusted({ $elemMatch: { _id: actionId, status: 'open', [flag]: null } }) },
    { $set: { [`actions.$[a].${flag}`]: now } },
    { arrayFilters: [{ 'a._id': actionId, 'a.status': 'open', [`a.${flag}`]: null }] },
  );
  return res.modifiedCount === 1;
}

export const conferenceActionReminders: Processor = async (_job, ctx) => {
  const now = new Date();
  const horizon = new Date(now.getTime() + REMIND_BEFORE_MS);
  const conferences = await Conference.find({
    actions: trusted({ $elemMatch: { status: 'open', dueAt: { $lte: horizon }, $or: [{ remindedAt: null }, { overdueAt: null, dueAt: { $lt: now } }] } }),
  });
  let reminded = 0;
  let overdue = 0;
  for (const conference of conferences) {
    for (const action of conference.actions) {
      if (action.status !== 'open') continue;
      const id = action._id as Types.ObjectId;
      const payload = { conferenceId: conference.id as string, actionId: id.toHexString(), dueAt: action.dueAt.toISOString() };
      if (action.dueAt.getTime() <= horizon.getTime() && !action.remindedAt && (await mark(conference._id, id, 'remindedAt', now))) {
        reminded++;
        ctx.realtime?.emit(`user:${String(action.ownerUserId)}`, 'conference:action_due', payload);
      }
      if (action.dueAt.getTime() < now.getTime() && !action.overdueAt && (await mark(conference._id, id, 'overdueAt', now))) {
        overdue++;
        ctx.realtime?.emit(`user:${String(action.ownerUserId)}`, 'conference:action_overdue', payload);
        await raiseTask({
          kind: 'conference_action_overdue',
          agencyId: conference.chairAgencyId as Types.ObjectId,
          assigneeUserId: conference.chairId as Types.ObjectId,
          assigneeRole: null,
          subject: { type: 'conference', id: conference._id as Types.ObjectId, personId: conference.personId as Types.ObjectId },
          dedupeKey: actionTaskKeys(id.toHexString())[1],
          dueAt: null,
          realtime: ctx.realtime,
        });
      }
    }
  }
  return { conferences: conferences.length, reminded, overdue };
};
