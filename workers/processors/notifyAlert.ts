/** Sends one notification round of an alert's outbox (in-app; see server/alerts/notifier.ts). */
import { Types } from 'mongoose';
import { UnrecoverableError } from 'bullmq';
import type { Processor } from '../context';
import type { NotifyJobData } from '../../server/alerts/outbox';
import { notifyInApp } from '../../server/alerts/notifier';

export const notifyAlert: Processor = async (job, ctx) => {
  const { alertId, version } = job.data as NotifyJobData;
  if (typeof alertId !== 'string' || !Types.ObjectId.isValid(alertId) || !Number.isInteger(version)) throw new UnrecoverableError('bad notify job');
  return notifyInApp(alertId, version, ctx.realtime);
};
