import { Types } from 'mongoose';
import { UnrecoverableError } from 'bullmq';
import type { Processor } from '../context';
import { linkEncounter as link } from '../../server/linkage/linkEncounter';
import type { LinkJobData } from '../../server/linkage/requestLink';
import { category } from '../../server/logger';

/**
 * Links one stored encounter to a person (server/linkage/linkEncounter.ts). Job id = encounter
 * id; a second run, or a run after the record was placed, does nothing. Detection is requested
 * for the person the record joined.
 */
export const linkEncounter: Processor = async (job, ctx) => {
  const { encounterId } = job.data as LinkJobData;
  if (typeof encounterId !== 'string' || !Types.ObjectId.isValid(encounterId)) throw new UnrecoverableError('bad encounter id');
  const result = await link({ encounterId, lock: { redis: ctx.redis, redisPrefix: ctx.redisPrefix }, queue: (name) => ctx.queue(name) });
  category(ctx.logger, 'linkage').info({ encounterId, outcome: result.outcome, reason: result.reason, personId: result.personId, score: result.score }, 'encounter linked');
  return result;
};
