/**
 * The signed-in user's task list: tasks assigned to them, and tasks for a role they hold in their
 * agency. Completing one is state-guarded; another agency's task ids answer 404.
 */
import { Router } from 'express';
import { trusted } from 'mongoose';
import { z } from 'zod';
import { authenticate, currentUser } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { Task } from '../../models/Task';
import type { UserDoc } from '../../models/User';
import { presentTask } from '../../presenters/task';
import { auditWrite, userActor } from '../../commands/auditTrail';
import { IdParams } from '../common';

const ListQuery = z.object({ status: z.enum(['open', 'done', 'dismissed']).default('open') }).strict();
const CloseInput = z.object({ outcome: z.enum(['done', 'dismissed']).default('done') }).strict();

/** Tasks this user may see and act on. */
function mine(user: UserDoc) {
  return {
    agencyId: user.agencyId,
    $or: [{ assigneeUserId: user._id }, { assigneeUserId: null, assigneeRole: trusted({ $in: [...user.roles] }) }],
  };
}

/** The /api/tasks router. */
export function tasksRouter(): Router {
  const router = Router();
  router.use(authenticate());

  router.get('/', validate(ListQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const { status } = req.query as unknown as { status: 'open' | 'done' | 'dismissed' };
    const tasks = await Task.find({ ...mine(user), status }).sort({ dueAt: 1, createdAt: 1 }).limit(200);
    res.json({ tasks: tasks.map(presentTask) });
  });

  router.post('/:id/close', validate(IdParams, 'params'), validate(CloseInput), async (req, res) => {
    const user = currentUser(req);
    const { outcome } = req.body as { outcome: 'done' | 'dismissed' };
    const task = await Task.findOneAndUpdate(
      { _id: (req.params as { id: string }).id, status: 'open', ...mine(user) },
      { $set: { status: outcome, completedBy: user._id, completedAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (!task) throw new NotFoundError('No such open task.');
    await auditWrite(req, userActor(user), 'task.close', { type: 'task', id: task._id, personId: task.subject?.personId ?? undefined }, { reason: outcome });
    res.json({ task: presentTask(task) });
  });

  return router;
}
