/**
 * Break-glass (DESIGN.md §5 rule 4; the NHS Summary Care Record's emergency-access model): a user
 * opens a person's records outside the sharing rules for a limited time, with a written reason;
 * the IG leads of their agency are told at once and review it.
 */
import type { Types } from 'mongoose';
import { Agency } from '../models/Agency';
import { BreakGlass, BREAK_GLASS_MINUTES, type BreakGlassDoc } from '../models/BreakGlass';
import type { PersonDoc } from '../models/Person';
import { Task } from '../models/Task';
import type { UserDoc } from '../models/User';
import type { RealtimeControl } from '../context';
import { ConflictError, NotFoundError } from '../errors';
import { nextWorkingDayStart } from './hours';
import { raiseTask } from './taskRaiser';

const reviewKey = (grantId: string) => `review_break_glass:${grantId}`;

export interface OpenBreakGlassProps {
  /** The person whose records are opened. */
  person: PersonDoc;
  /** Who breaks the glass (already past a fresh second-factor check). */
  user: UserDoc;
  /** Why, in their words: kept on the grant for the IG review, never logged or audited. */
  reason: string;
  /** How long the grant lasts; defaults to BREAK_GLASS_MINUTES. */
  minutes?: number;
  /** Where the IG leads' `task:created` hint goes. */
  realtime?: Pick<RealtimeControl, 'emit'>;
}

/** Creates the grant and the IG leads' review task (due when the agency next opens). */
export async function openBreakGlass(props: OpenBreakGlassProps): Promise<BreakGlassDoc> {
  const { person, user } = props;
  const now = new Date();
  const grant = await BreakGlass.create({
    personId: person._id,
    userId: user._id,
    agencyId: user.agencyId,
    reason: props.reason,
    grantedAt: now,
    expiresAt: new Date(now.getTime() + (props.minutes ?? BREAK_GLASS_MINUTES) * 60_000),
  });
  const agency = await Agency.findById(user.agencyId);
  await raiseTask({
    kind: 'review_break_glass',
    agencyId: user.agencyId,
    assigneeUserId: null,
    assigneeRole: 'ig_lead',
    subject: { type: 'break_glass', id: grant._id, personId: person._id as Types.ObjectId },
    dedupeKey: reviewKey(grant.id as string),
    dueAt: agency ? nextWorkingDayStart(now, agency) : null,
    realtime: props.realtime,
  });
  return grant;
}

export interface ReviewBreakGlassProps {
  /** The grant's id (validated). */
  grantId: string;
  /** The reviewing IG lead; only grants of their agency's users are found. */
  user: UserDoc;
  outcome: 'appropriate' | 'inappropriate';
  /** The IG lead's note, kept on the grant. */
  note?: string;
}

/**
 * Records the review once (409 if already reviewed) and closes the task. An access found
 * inappropriate ends at once if it is still live.
 */
export async function reviewBreakGlass(props: ReviewBreakGlassProps): Promise<BreakGlassDoc> {
  const { user } = props;
  const grant = await BreakGlass.findOne({ _id: props.grantId, agencyId: user.agencyId });
  if (!grant) throw new NotFoundError('No such break-glass access.');
  const now = new Date();
  const set: Record<string, unknown> = { reviewedAt: now, reviewedBy: user._id, reviewOutcome: props.outcome, reviewNote: props.note ?? null };
  if (props.outcome === 'inappropriate' && grant.expiresAt.getTime() > now.getTime()) set.expiresAt = now;
  const updated = await BreakGlass.findOneAndUpdate({ _id: grant._id, reviewedAt: null }, { $set: set }, { returnDocument: 'after' });
  if (!updated) throw new ConflictError('already_reviewed', 'This break-glass access has already been reviewed.');
  await Task.updateOne({ dedupeKey: reviewKey(updated.id as string), status: 'open' }, { $set: { status: 'done', completedBy: user._id, completedAt: now } });
  return updated;
}
