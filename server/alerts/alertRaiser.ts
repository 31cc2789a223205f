/**
 * Applies one detection run for a person to their alerts: raises an alert for each rule that
 * fires and has none open, updates the open one when its evidence or audience changed, and closes
 * (or, once people are working on it, downgrades) an open alert whose rule no longer fires — after
 * an unlink, say. One open alert per (person, rule) is enforced by the unique `openKey`.
 */
import { Types } from 'mongoose';
import { Alert, openKeyOf, timelineEntry, type AlertRecord } from '../models/Alert';
import { asObjectId } from '../models/objectId';
import type { RuleHit } from './rules';
import type { AlertAudience } from './audience';
import type { Recipient } from './notifier';
import { SEVERITIES, type Severity } from '../../config/domain';

export interface AlertRaiserProps {
  personId: Types.ObjectId;
  /** The rules that fire now, with their evidence. */
  hits: readonly RuleHit[];
  audience: AlertAudience;
  /** Agencies holding records about the person: their staff in the audience roles are told. */
  agencyIds: readonly Types.ObjectId[];
  now: Date;
  /** The person's alerts that are not closed, read with the rest of the run's facts. */
  open: AlertRecord[];
}

/** What happened to one alert. */
export interface AlertChange {
  /** The alert as this run wrote it (a plain object). */
  alert: AlertRecord;
  change: 'raised' | 'updated' | 'closed' | 'downgraded';
  /** Recipients must be told something new (a new alert, or new people in the audience). */
  notify: boolean;
  /** Out-of-hours routing must look at it again (new, or more severe). */
  route: boolean;
  /** For a raised alert: its audience's users, read while it was written (null if that read failed). */
  recipients?: Promise<Recipient[] | null>;
}

const ids = (list: readonly unknown[]) => list.map(String);
const sameSet = (a: readonly unknown[], b: readonly unknown[]) => {
  const x = new Set(ids(a));
  const y = ids(b);
  return x.size === new Set(y).size && y.every((v) => x.has(v));
};
const rank = (s: string) => SEVERITIES.indexOf(s as Severity);

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/**
 * The stored form of a new alert: every field the Alert schema has, with its default where the
 * hit says nothing, written out rather than built as a mongoose document and validated (every
 * raised alert passes through here; its values come from the rules and the consent check, not
 * from a request). test/alerts/alertRecord.test.ts holds it to what the schema would store.
 */
export function newAlertRecord(props: Pick<AlertRaiserProps, 'personId' | 'audience' | 'agencyIds' | 'now'>, hit: RuleHit): AlertRecord {
  const { personId, audience, now } = props;
  return {
    _id: new Types.ObjectId(),
    personId: asObjectId(personId),
    ruleId: hit.ruleId,
    ruleVersion: hit.ruleVersion == null ? null : String(hit.ruleVersion),
    severity: hit.severity,
    status: 'open',
    openKey: openKeyOf(personId, hit.ruleId),
    evidence: hit.evidence.map(asObjectId),
    evidenceAgencyIds: hit.agencyIds.map(asObjectId),
    summary: { agencyCount: hit.agencyIds.length, encounterCount: hit.evidence.length, firstAt: hit.firstAt, lastAt: hit.lastAt },
    sharingState: audience.sharingState,
    audience: { mode: audience.mode, agencyIds: props.agencyIds.map(asObjectId), roles: [...audience.roles] },
    routedTo: { mode: null, agencyId: null, userIds: [], level: null },
    ackDeadline: null,
    escalations: [],
    acknowledgedBy: null,
    acknowledgedAt: null,
    assignedTo: null,
    conferenceId: null,
    outcome: { code: null, note: null, closedBy: null, closedAt: null },
    timeline: [timelineEntry({ at: now, kind: 'raised', detail: { mode: audience.mode, severity: hit.severity } })],
    outbox: { version: 1, sentVersion: 0, pendingSince: now },
    createdAt: now,
    updatedAt: now,
    __v: 0,
  } as unknown as AlertRecord;
}

async function raise(props: AlertRaiserProps, hit: RuleHit): Promise<AlertChange | null> {
  const alert = newAlertRecord(props, hit);
  try {
    await Alert.collection.insertOne(alert);
    return { alert, change: 'raised', notify: true, route: true };
  } catch (err) {
    // Another run raised it first: fall through to updating that one.
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

async function update(props: AlertRaiserProps, existing: AlertRecord, hit: RuleHit): Promise<AlertChange | null> {
  const { audience, now } = props;
  const prev = { mode: existing.audience?.mode ?? null, agencyIds: existing.audience?.agencyIds ?? [] };
  const evidenceChanged = !sameSet(existing.evidence, hit.evidence);
  const audienceChanged =
    prev.mode !== audience.mode || existing.sharingState !== audience.sharingState || !sameSet(prev.agencyIds, props.agencyIds);
  // Only the people newly in the audience need telling; the ledger skips those told already.
  const widened = audienceChanged && (prev.mode !== audience.mode || props.agencyIds.some((a) => !ids(prev.agencyIds).includes(String(a))));
  const severityUp = rank(hit.severity) > rank(existing.severity);
  const severityChanged = hit.severity !== existing.severity;
  if (!evidenceChanged && !audienceChanged && !severityChanged) return null;

  const timeline = [];
  if (evidenceChanged) timeline.push({ at: now, kind: 'evidence_updated', detail: { encounters: hit.evidence.length, agencies: hit.agencyIds.length } });
  if (audienceChanged) timeline.push({ at: now, kind: 'audience_changed', detail: { from: prev.mode, to: audience.mode } });
  if (severityChanged) timeline.push({ at: now, kind: 'severity_changed', detail: { from: existing.severity, to: hit.severity } });
  const updated = await Alert.findOneAndUpdate(
    { _id: existing._id, openKey: existing.openKey },
    {
      $set: {
        severity: hit.severity,
        ruleVersion: hit.ruleVersion,
        evidence: hit.evidence,
        evidenceAgencyIds: hit.agencyIds,
        summary: { agencyCount: hit.agencyIds.length, encounterCount: hit.evidence.length, firstAt: hit.firstAt, lastAt: hit.lastAt },
        sharingState: audience.sharingState,
        audience: { mode: audience.mode, agencyIds: [...props.agencyIds], roles: audience.roles },
        ...(widened ? { 'outbox.pendingSince': now } : {}),
      },
      $push: { timeline: { $each: timeline } },
      ...(widened ? { $inc: { 'outbox.version': 1 } } : {}),
    },
    { returnDocument: 'after' },
  ).lean<AlertRecord>();
  if (!updated) return null;
  return { alert: updated, change: 'updated', notify: widened, route: severityUp };
}

async function withdraw(props: AlertRaiserProps, existing: AlertRecord): Promise<AlertChange | null> {
  const { now } = props;
  if (existing.status === 'open' || existing.status === 'acknowledged') {
    const closed = await Alert.findOneAndUpdate(
      { _id: existing._id, openKey: existing.openKey, status: existing.status },
      {
        $set: { status: 'closed', outcome: { code: 'evidence_withdrawn', note: null, closedBy: null, closedAt: now } },
        $unset: { openKey: 1 },
        $push: { timeline: { at: now, kind: 'closed', detail: { outcome: 'evidence_withdrawn' } } },
      },
      { returnDocument: 'after' },
    ).lean<AlertRecord>();
    return closed ? { alert: closed, change: 'closed', notify: false, route: false } : null;
  }
  // Someone is working on it (in review, or a conference is planned): keep it, at low severity.
  if (existing.severity === 'low') return null;
  const downgraded = await Alert.findOneAndUpdate(
    { _id: existing._id, openKey: existing.openKey },
    {
      $set: { severity: 'low' },
      $push: { timeline: { at: now, kind: 'severity_changed', detail: { from: existing.severity, to: 'low', reason: 'evidence_withdrawn' } } },
    },
    { returnDocument: 'after' },
  ).lean<AlertRecord>();
  return downgraded ? { alert: downgraded, change: 'downgraded', notify: false, route: false } : null;
}

/** The person's alerts that are not closed (what a detection run applies its result to). */
export function openAlertsOf(personId: Types.ObjectId): Promise<AlertRecord[]> {
  // Raw driver: every detection run reads them, by the person's id alone.
  return Alert.collection.find<AlertRecord>({ personId, status: { $ne: 'closed' } }).toArray();
}

/** Applies a detection run; returns the alerts that changed. */
export async function applyDetection(props: AlertRaiserProps): Promise<AlertChange[]> {
  const { open } = props;
  const openByRule = new Map(open.map((a) => [a.ruleId, a]));
  const changes: AlertChange[] = [];
  for (const hit of props.hits) {
    let existing = openByRule.get(hit.ruleId);
    if (!existing) {
      const raised = await raise(props, hit);
      if (raised) {
        changes.push(raised);
        continue;
      }
      existing = (await Alert.findOne({ openKey: openKeyOf(props.personId, hit.ruleId) }).lean<AlertRecord>()) ?? undefined;
      if (!existing) continue;
    }
    const updated = await update(props, existing, hit);
    if (updated) changes.push(updated);
  }
  const firing = new Set(props.hits.map((h) => h.ruleId));
  for (const alert of open) {
    if (firing.has(alert.ruleId)) continue;
    const withdrawn = await withdraw(props, alert);
    if (withdrawn) changes.push(withdrawn);
  }
  return changes;
}
