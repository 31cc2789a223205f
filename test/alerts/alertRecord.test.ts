/**
 * A raised alert is written as a plain object (newAlertRecord) rather than through a mongoose
 * document: held here to the Alert schema, which stays the reference. If a field or a default is
 * added to the schema, this fails until the record has it too.
 */
import { Types } from 'mongoose';
import { newAlertRecord } from '../../server/alerts/alertRaiser';
import { Alert, timelineEntry } from '../../server/models/Alert';
import type { RuleHit } from '../../server/alerts/rules';
import type { AlertAudience } from '../../server/alerts/audience';

const now = new Date('2026-11-30T03:14:00.000Z');
const personId = new Types.ObjectId();
const agencies = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
const hit: RuleHit = {
  ruleId: 'multi_agency_30d',
  ruleVersion: '3',
  severity: 'high',
  evidence: [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()].map(String),
  agencyIds: agencies.map(String),
  firstAt: new Date('2026-11-02T10:00:00Z'),
  lastAt: new Date('2026-11-29T22:00:00Z'),
} as RuleHit;

const audiences: [string, AlertAudience][] = [
  ['consented (panel)', { mode: 'panel', sharingState: 'consented', roles: ['panel_member', 'key_worker'] } as AlertAudience],
  ['no consent (pseudonymous)', { mode: 'pseudonymous', sharingState: 'no_consent', roles: ['panel_member'] } as AlertAudience],
  ['refused (restricted)', { mode: 'restricted', sharingState: 'refused', roles: ['ig_lead', 'duty_manager'] } as AlertAudience],
];

describe('newAlertRecord against the Alert schema', () => {
  it.each(audiences)('stores an alert raised with %s as Alert.create would', async (_name, audience) => {
    const record = newAlertRecord({ personId, audience, agencyIds: agencies, now }, hit) as unknown as Record<string, unknown>;
    // What the schema makes of the same facts, with the same ids and times where it makes its own.
    const doc = new Alert({
      _id: record._id,
      personId,
      ruleId: hit.ruleId,
      ruleVersion: hit.ruleVersion,
      severity: hit.severity,
      status: 'open',
      openKey: `${String(personId)}:${hit.ruleId}`,
      evidence: hit.evidence,
      evidenceAgencyIds: hit.agencyIds,
      summary: { agencyCount: 3, encounterCount: 3, firstAt: hit.firstAt, lastAt: hit.lastAt },
      sharingState: audience.sharingState,
      audience: { mode: audience.mode, agencyIds: agencies, roles: audience.roles },
      timeline: [{ _id: (record.timeline as { _id: Types.ObjectId }[])[0]._id, at: now, kind: 'raised', detail: { mode: audience.mode, severity: hit.severity } }],
      outbox: { version: 1, sentVersion: 0, pendingSince: now },
    });
    await doc.validate();
    const bySchema = { ...doc.toObject({ depopulate: true }), createdAt: now, updatedAt: now, __v: 0 };
    expect(record).toStrictEqual(bySchema);
  });

  it('casts evidence and agency ids to ObjectIds and keeps the rule version as text', () => {
    const record = newAlertRecord({ personId, audience: audiences[0][1], agencyIds: agencies, now }, { ...hit, ruleVersion: 7 as never });
    expect(record.evidence.every((e) => e instanceof Types.ObjectId)).toBe(true);
    expect(record.evidenceAgencyIds.map(String)).toEqual(hit.agencyIds);
    expect(record.ruleVersion).toBe('7');
  });

  it.each([
    ['a system entry', { at: now, kind: 'notified' as const, detail: { users: 2, channel: 'in_app' } }],
    ['an entry by a user', { at: now, kind: 'note' as const, actorUserId: new Types.ObjectId(), actorAgencyId: new Types.ObjectId(), text: 'Called the crisis team.' }],
  ])('writes %s of the timeline as the schema would', async (_name, input) => {
    const entry = timelineEntry(input);
    const doc = new Alert({ personId, ruleId: 'r', severity: 'low', sharingState: 'consented', audience: { mode: 'panel' }, timeline: [{ ...input, _id: entry._id }] });
    await doc.validate();
    expect(entry).toStrictEqual(doc.toObject({ depopulate: true }).timeline[0]);
  });
});
