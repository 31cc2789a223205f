import { Types } from 'mongoose';
import { UnrecoverableError } from 'bullmq';
import type { Processor } from '../context';
import { linkEncounter as link } from '../../server/linkage/linkEncounter';
import type { LinkJobData } from '../../server/linkage/requestLink';
import { resolveDuty, type Duty } from '../../server/duty/options';
import { category } from '../../server/logger';
import { detectAfterLink } from './detectAlerts';

/**
 * Links one stored encounter to a person (server/linkage/linkEncounter.ts). Job id = encounter
 * id; a second run, or a run after the record was placed, does nothing. The person the record
 * joined is then evaluated by the detection rules: here, when nobody else is evaluating them,
 * else by the queued detection job (detectAlerts.ts `detectAfterLink`).
 */
export function linkEncounterProcessor(duty: Duty): Processor {
  return async (job, ctx) => {
    const { encounterId } = job.data as LinkJobData;
    if (typeof encounterId !== 'string' || !Types.ObjectId.isValid(encounterId)) throw new UnrecoverableError('bad encounter id');
    const { person, ...result } = await link({ encounterId, lock: { redis: ctx.redis, redisPrefix: ctx.redisPrefix } });
    category(ctx.logger, 'linkage').info({ encounterId, outcome: result.outcome, reason: result.reason, personId: result.personId, score: result.score }, 'encounter linked');
    const detection = result.outcome !== 'skipped' && result.personId ? await detectAfterLink(result.personId, ctx, duty, person) : undefined;
    return { ...result, detection };
  };
}

/** The link job with the production duty settings. */
export const linkEncounter: Processor = linkEncounterProcessor(resolveDuty());
