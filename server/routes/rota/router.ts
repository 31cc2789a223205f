/**
 * `/api/rota`: an agency's on-call rota per escalation level. Agency admins and duty managers keep
 * their agency's weekly pattern, overrides and swaps; system admins keep the shared, panel-wide
 * rota (`shared`). Another agency's shift answers 404. The rota editor page reads `GET /` (who is
 * on call now, the pattern, the timeline and the gaps of each level) and `GET /candidates` (who
 * may be put on call), and saves a pattern with the `updatedAt` it read, so two editors never
 * silently overwrite each other.
 */
import { Router, type Request } from 'express';
import { trusted, Types } from 'mongoose';
import { authenticate, currentUser } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { OnCallShift } from '../../models/OnCallShift';
import { RotaPattern } from '../../models/RotaPattern';
import { User } from '../../models/User';
import type { UserDoc } from '../../models/User';
import { appendAudit } from '../../audit';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { domainConfig } from '../../../config/domain';
import { canManageRota, canViewDuty } from '../../policies/duty';
import { presentPattern, presentSegment, presentShift } from '../../presenters/dutyRota';
import { gapsIn, ON_CALL_ROLE, rotaTimeline } from '../../duty/rota';
import { namesOf } from '../../duty/names';
import { IdParams } from '../common';
import { LevelParams, OverrideInput, PatternInput, RotaQuery, SharedQuery, SwapInput, type OverrideInputType, type PatternInputType, type SwapInputType } from './schema';

/** Most people the candidates list returns (an agency's duty managers; all of them for the shared rota). */
const CANDIDATES_LIMIT = 500;

const rotaChanged = () => new ConflictError('rota_changed', 'Someone else changed this weekly pattern since you opened it; reload to see their change.');

const isDuplicateKey = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;

/** The rota a request works on: the caller's agency, or the shared one (null). */
function scopeOf(user: UserDoc, shared: boolean | undefined): Types.ObjectId | null {
  return shared ? null : (user.agencyId as Types.ObjectId);
}

function mustManage(user: UserDoc, agencyId: Types.ObjectId | null): void {
  if (!canManageRota(user, agencyId)) throw new ForbiddenError();
}

/** On-call users must be active duty managers, of the agency for an agency rota. */
async function checkOnCallUsers(ids: string[], agencyId: Types.ObjectId | null, field: string): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const found = await User.countDocuments({
    _id: trusted({ $in: unique.map((id) => new Types.ObjectId(id)) }),
    disabled: false,
    roles: ON_CALL_ROLE,
    ...(agencyId ? { agencyId } : {}),
  });
  if (found !== unique.length) throw new BadRequestError('not_on_call_eligible', `${field}: must be an active duty manager${agencyId ? ' of your agency' : ''}`);
}

export function rotaRouter(): Router {
  const router = Router();
  router.use(authenticate());

  router.get('/', validate(RotaQuery, 'query'), async (req: Request, res) => {
    const user = currentUser(req);
    const q = req.query as unknown as { shared?: boolean; from?: Date; days: number };
    const agencyId = scopeOf(user, q.shared);
    if (!canViewDuty(user) && !canManageRota(user, agencyId)) throw new ForbiddenError();
    const from = q.from ?? new Date();
    const to = new Date(from.getTime() + q.days * 86_400_000);
    const levels = domainConfig().escalation.levels;
    const [patterns, shifts, timelines] = await Promise.all([
      RotaPattern.find({ agencyId }),
      OnCallShift.find({ agencyId, cancelledAt: null, from: trusted({ $lt: to }), to: trusted({ $gt: from }) }).sort({ from: 1 }),
      Promise.all(levels.map((l) => rotaTimeline(agencyId, l.id, from, to))),
    ]);
    const names = await namesOf([...patterns.flatMap((p) => p.slots.map((s) => s.userId)), ...shifts.map((s) => s.userId), ...timelines.flat().map((s) => s.userId)]);
    await appendAudit({ actor: userActor(user), action: 'rota.read', subject: { type: 'rota', id: agencyId ?? 'shared' }, outcome: 'allowed', requestId: req.id });
    res.json({
      from: from.toISOString(),
      to: to.toISOString(),
      shared: agencyId === null,
      /** Weekly slots are wall-clock times in this zone. */
      timezone: domainConfig().businessHours.timezone,
      canManage: canManageRota(user, agencyId),
      levels: levels.map((l, i) => {
        const p = patterns.find((x) => x.level === l.id);
        const current = timelines[i].find((s) => s.from.getTime() <= from.getTime() && from.getTime() < s.to.getTime());
        return {
          level: l.id,
          rank: l.rank,
          label: l.label,
          pattern: p ? presentPattern(p, names).slots : [],
          /** The version to send back as `expectedUpdatedAt`; null when the level has no pattern. */
          patternUpdatedAt: p ? (p as unknown as { updatedAt: Date }).updatedAt.toISOString() : null,
          /** Who is on call at `from` (now, unless asked otherwise). */
          onCall: current ? presentSegment(current, names) : null,
          timeline: timelines[i].map((s) => presentSegment(s, names)),
          gaps: gapsIn(timelines[i], from, to).map((g) => ({ from: g.from.toISOString(), to: g.to.toISOString() })),
        };
      }),
      shifts: shifts.map((s) => presentShift(s, names)),
    });
  });

  router.get('/candidates', validate(SharedQuery, 'query'), async (req: Request, res) => {
    const user = currentUser(req);
    const agencyId = scopeOf(user, (req.query as { shared?: boolean }).shared);
    mustManage(user, agencyId);
    const people = await User.find({ disabled: false, roles: ON_CALL_ROLE, ...(agencyId ? { agencyId } : {}) })
      .sort({ name: 1, _id: 1 })
      .limit(CANDIDATES_LIMIT)
      .select('name');
    res.json({ people: people.map((p) => ({ id: p.id as string, name: p.name })) });
  });

  router.put('/patterns/:level', validate(LevelParams, 'params'), validate(PatternInput), async (req, res) => {
    const user = currentUser(req);
    const input = req.body as PatternInputType;
    const agencyId = scopeOf(user, input.shared);
    mustManage(user, agencyId);
    await checkOnCallUsers(input.slots.map((s) => s.userId), agencyId, 'slots.userId');
    const level = (req.params as { level: string }).level;
    const set = { slots: input.slots.map((s) => ({ ...s, userId: new Types.ObjectId(s.userId) })), updatedBy: user._id };
    let pattern;
    if (input.expectedUpdatedAt === undefined) {
      pattern = await RotaPattern.findOneAndUpdate({ agencyId, level }, { $set: set }, { upsert: true, returnDocument: 'after' });
    } else if (input.expectedUpdatedAt === null) {
      // A new pattern: the unique (agency, level) index refuses a second creator.
      pattern = await RotaPattern.create({ agencyId, level, ...set }).catch((err: unknown) => {
        throw isDuplicateKey(err) ? rotaChanged() : err;
      });
    } else {
      pattern = await RotaPattern.findOneAndUpdate({ agencyId, level, updatedAt: input.expectedUpdatedAt }, { $set: set }, { returnDocument: 'after' });
      if (!pattern) throw rotaChanged();
    }
    await auditWrite(req, userActor(user), 'rota.pattern_update', { type: 'rota', id: pattern._id }, { reason: `level=${level} slots=${input.slots.length}` });
    res.json({
      pattern: presentPattern(pattern, await namesOf(pattern.slots.map((s) => s.userId))),
      patternUpdatedAt: (pattern as unknown as { updatedAt: Date }).updatedAt.toISOString(),
    });
  });

  router.delete('/patterns/:level', validate(LevelParams, 'params'), validate(SharedQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const agencyId = scopeOf(user, (req.query as { shared?: boolean }).shared);
    mustManage(user, agencyId);
    const level = (req.params as { level: string }).level;
    const pattern = await RotaPattern.findOneAndDelete({ agencyId, level });
    if (!pattern) throw new NotFoundError('This level has no weekly pattern.');
    await auditWrite(req, userActor(user), 'rota.pattern_delete', { type: 'rota', id: pattern._id }, { reason: `level=${level} slots=${pattern.slots.length}` });
    res.status(204).end();
  });

  router.post('/overrides', validate(OverrideInput), async (req, res) => {
    const user = currentUser(req);
    const input = req.body as OverrideInputType;
    const agencyId = scopeOf(user, input.shared);
    mustManage(user, agencyId);
    await checkOnCallUsers([input.userId], agencyId, 'userId');
    const shift = await OnCallShift.create({ agencyId, level: input.level, userId: input.userId, from: input.from, to: input.to, source: 'override', createdBy: user._id });
    await auditWrite(req, userActor(user), 'rota.override', { type: 'on_call_shift', id: shift._id }, { reason: `level=${input.level}` });
    res.status(201).json({ shift: presentShift(shift, await namesOf([shift.userId])) });
  });

  router.post('/swaps', validate(SwapInput), async (req, res) => {
    const user = currentUser(req);
    const input = req.body as SwapInputType;
    const agencyId = scopeOf(user, input.shared);
    mustManage(user, agencyId);
    await checkOnCallUsers([input.fromUserId, input.toUserId], agencyId, 'toUserId');
    // A swap takes over someone's cover: they must be on call for the whole period.
    const segments = await rotaTimeline(agencyId, input.level, input.from, input.to);
    const covered = segments.length > 0 && gapsIn(segments, input.from, input.to).length === 0 && segments.every((s) => s.userId === input.fromUserId && s.shared === (agencyId === null));
    if (!covered) throw new ConflictError('not_on_call', 'fromUserId is not on call for the whole of that period.');
    const shift = await OnCallShift.create({
      agencyId, level: input.level, userId: input.toUserId, from: input.from, to: input.to, source: 'swap', replacesUserId: input.fromUserId, createdBy: user._id,
    });
    await auditWrite(req, userActor(user), 'rota.swap', { type: 'on_call_shift', id: shift._id }, { reason: `level=${input.level}` });
    res.status(201).json({ shift: presentShift(shift, await namesOf([shift.userId, input.fromUserId])) });
  });

  router.delete('/shifts/:id', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const id = (req.params as { id: string }).id;
    const shift = await OnCallShift.findOne({ _id: id, cancelledAt: null });
    if (!shift || !canManageRota(user, shift.agencyId)) {
      await auditDenied(req, userActor(user), { type: 'on_call_shift', id }, shift ? 'not_rota_manager' : 'not_found');
      throw new NotFoundError('No such shift.');
    }
    await OnCallShift.updateOne({ _id: shift._id, cancelledAt: null }, { $set: { cancelledAt: new Date(), cancelledBy: user._id } });
    await auditWrite(req, userActor(user), 'rota.shift_cancel', { type: 'on_call_shift', id: shift._id });
    res.status(204).end();
  });

  return router;
}
