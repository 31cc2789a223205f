/**
 * Decisions to share without consent (DESIGN.md §5 rule 3): record one, raise the IG lead's task,
 * and move it through sign-off, rejection or revocation. The basis must fit the facts
 * (`offeredBases`); an emergency decision is a duty manager's, out of hours only.
 */
import { trusted, Types } from 'mongoose';
import { Agency } from '../models/Agency';
import { Consent } from '../models/Consent';
import type { PersonDoc } from '../models/Person';
import { SharingDecision, type DecisionDoc } from '../models/SharingDecision';
import { Task } from '../models/Task';
import type { UserDoc } from '../models/User';
import type { RealtimeControl } from '../context';
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '../errors';
import { effectiveConsent, offeredBases, type DecisionBasis, type EffectiveConsentState } from '../sharing';
import type { DecisionInputType } from '../routes/decisions/schema';
import { consentFacts } from './sharingFacts';
import { isOutOfHours, nextWorkingDayStart } from './hours';
import { raiseTask } from './taskRaiser';

/**
 * The clock the out-of-hours check reads. Only the emergency rule depends on the wall clock, so
 * tests replace `now` here (and restore it) to act in or out of hours; timestamps use real time.
 */
export const decisionClock = { now: (): Date => new Date() };

/** The bases on offer for a person now, and a reason for each one withheld. */
export async function decisionOptions(personId: Types.ObjectId, now = new Date()): Promise<{ consentState: EffectiveConsentState; offeredBases: DecisionBasis[] }> {
  const history = await Consent.find({ personId });
  const consentState = effectiveConsent(history.map(consentFacts), now).state;
  return { consentState, offeredBases: offeredBases(consentState) };
}

/** Why a basis is not on offer (only vital interests ever is withheld). */
export function basisRefusal(basis: DecisionBasis, consentState: EffectiveConsentState): string {
  return basis === 'vital_interests'
    ? `The person ${consentState === 'refused' ? 'refused' : 'withdrew'} consent and has capacity: vital interests cannot override that. Consider safeguarding, preventing serious harm or a legal obligation.`
    : `The ${basis.replace(/_/g, ' ')} basis is not available for this person.`;
}

export interface RecordDecisionProps {
  /** The person the decision is about (their records are what it opens). */
  person: PersonDoc;
  /** Who decides; their agency's IG leads sign it off. */
  user: UserDoc;
  /** The validated request. */
  input: DecisionInputType;
  /** Where the IG leads' `task:created` hint goes. */
  realtime?: Pick<RealtimeControl, 'emit'>;
}

/** The task key for a decision's sign-off or emergency review (one open task per decision). */
const taskKeys = (id: string) => [`sign_off_decision:${id}`, `review_decision:${id}`];

/**
 * Records a decision `pending_signoff` and raises the IG leads' task: `sign_off_decision`, or for
 * an emergency (in effect at once) `review_decision` due when the agency next opens.
 */
export async function recordDecision(props: RecordDecisionProps): Promise<DecisionDoc> {
  const { person, user, input } = props;
  const now = new Date();
  const options = await decisionOptions(person._id as Types.ObjectId, now);
  if (!options.offeredBases.includes(input.basis)) throw new BadRequestError('basis_not_available', basisRefusal(input.basis, options.consentState));

  const agency = await Agency.findById(user.agencyId);
  if (!agency) throw new NotFoundError('No such agency.');
  const clockNow = decisionClock.now();
  if (input.emergency) {
    if (!user.roles.includes('duty_manager')) throw new BadRequestError('emergency_not_available', 'Only a duty manager may make an emergency decision.');
    if (!isOutOfHours(clockNow, agency)) {
      throw new BadRequestError('emergency_not_available', 'Emergency decisions are for out of hours; in hours, an IG lead signs the decision off.');
    }
  }
  const found = await Agency.countDocuments({ _id: trusted({ $in: input.scope.agencies }) });
  if (found !== input.scope.agencies.length) throw new ValidationError('scope.agencies: includes an unknown agency', { field: 'scope.agencies' });

  const decision = await SharingDecision.create({
    personId: person._id,
    basis: input.basis,
    justification: input.justification,
    scope: { ...input.scope, agencies: input.scope.agencies.map((id) => new Types.ObjectId(id)) },
    decidedBy: user._id,
    decidedByAgency: user.agencyId,
    decidedAt: now,
    expiresAt: input.expiresAt,
    reviewAt: input.reviewAt,
    emergency: input.emergency,
    status: 'pending_signoff',
  });
  const [signOffKey, reviewKey] = taskKeys(decision.id as string);
  await raiseTask({
    kind: input.emergency ? 'review_decision' : 'sign_off_decision',
    agencyId: user.agencyId,
    assigneeUserId: null,
    assigneeRole: 'ig_lead',
    subject: { type: 'decision', id: decision._id, personId: person._id as Types.ObjectId },
    dedupeKey: input.emergency ? reviewKey : signOffKey,
    dueAt: input.emergency ? nextWorkingDayStart(clockNow, agency) : null,
    realtime: props.realtime,
  });
  return decision;
}

/** What an IG lead may do to a decision, and the states each may start from. */
const SETTLE = {
  sign_off: { from: ['pending_signoff'], to: 'active', done: 'signed off' },
  reject: { from: ['pending_signoff'], to: 'rejected', done: 'rejected' },
  revoke: { from: ['pending_signoff', 'active'], to: 'revoked', done: 'revoked' },
} as const;
export type SettleAction = keyof typeof SETTLE;

export interface SettleDecisionProps {
  /** The decision's id (validated). */
  decisionId: string;
  /** The IG lead acting; only decisions of their agency are found. */
  user: UserDoc;
  action: SettleAction;
  /** The IG lead's note, kept on the decision (sign-off and rejection only). */
  note?: string;
}

/**
 * Signs off, rejects or revokes a decision of the user's agency (404 for any other), guarded on
 * its state so a concurrent change answers 409, and closes the decision's open task.
 */
export async function settleDecision(props: SettleDecisionProps): Promise<DecisionDoc> {
  const { user, action } = props;
  const rule = SETTLE[action];
  const decision = await SharingDecision.findOne({ _id: props.decisionId, decidedByAgency: user.agencyId });
  if (!decision) throw new NotFoundError('No such decision.');
  if (!(rule.from as readonly string[]).includes(decision.status)) {
    throw new ConflictError('invalid_transition', `A decision that is ${decision.status.replace(/_/g, ' ')} cannot be ${rule.done}.`);
  }
  const now = new Date();
  const set: Record<string, unknown> = { status: rule.to };
  if (action !== 'revoke') Object.assign(set, { 'signOff.by': user._id, 'signOff.at': now, 'signOff.note': props.note ?? null });
  const updated = await SharingDecision.findOneAndUpdate({ _id: decision._id, status: decision.status }, { $set: set }, { returnDocument: 'after' });
  if (!updated) throw new ConflictError();
  await Task.updateMany(
    { dedupeKey: trusted({ $in: taskKeys(updated.id as string) }), status: 'open' },
    { $set: { status: 'done', completedBy: user._id, completedAt: now } },
  );
  return updated;
}
