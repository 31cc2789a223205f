/**
 * The append path checks and shapes each input itself (server/audit/record.ts) instead of
 * building a mongoose document: held here to the AuditEvent schema, which stays the reference.
 * For every input below, both must agree on accepting it and, when accepted, on what is stored.
 */
import { Types } from 'mongoose';
import { auditRecord, AuditInputError } from '../../server/audit/record';
import { AuditEvent } from '../../server/models/AuditEvent';
import { GENESIS_HASH } from '../../server/audit/canonical';
import type { AuditInput } from '../../server/audit/log';

const at = new Date('2026-03-01T02:03:04.005Z');
const oid = () => new Types.ObjectId();

/** What the schema stores for an input (seq and hashes aside), or the paths it refuses. */
async function bySchema(input: AuditInput): Promise<{ stored: Record<string, unknown> } | { refused: string[] }> {
  let doc;
  try {
    doc = new AuditEvent({ ...input, at: input.at ?? at, seq: 1, prevHash: GENESIS_HASH, hash: GENESIS_HASH });
    await doc.validate();
  } catch (err) {
    return { refused: Object.keys((err as { errors?: object }).errors ?? { strict: 1 }) };
  }
  const stored = doc.toObject({ virtuals: false, versionKey: false, minimize: true, depopulate: true }) as Record<string, unknown>;
  for (const k of ['_id', 'seq', 'prevHash', 'hash']) delete stored[k];
  return { stored };
}

function byRecord(input: AuditInput): { stored: Record<string, unknown> } | { refused: string[] } {
  try {
    const stored = auditRecord({ ...input, at: input.at ?? at });
    expect(stored._id).toBeInstanceOf(Types.ObjectId);
    delete stored._id;
    return { stored };
  } catch (err) {
    // The schema refuses an unknown field before validating (strict: throw), naming no path.
    if (!(err instanceof AuditInputError)) throw err;
    return { refused: [/not in schema/.test(err.message) ? 'strict' : err.path] };
  }
}

const base: AuditInput = { actor: { userId: oid(), agencyId: oid(), roles: ['panel_member'] }, action: 'person.read', subject: { type: 'person', id: oid().toHexString(), personId: oid() }, purpose: 'risk_panel', outcome: 'allowed' };

const accepted: [string, AuditInput][] = [
  ['a practitioner reading a record', base],
  ['a system event with an empty actor (left out)', { actor: {}, action: 'alert.raised', subject: { type: 'alert', id: oid(), personId: oid() } as never, purpose: 'risk_panel', outcome: 'succeeded', reason: 'multi_agency_30d:panel' }],
  ['ids given as strings', { ...base, actor: { userId: oid().toHexString(), apiClientId: oid().toHexString(), agencyId: oid().toHexString() }, subject: { type: 'person', personId: oid().toHexString() } }],
  ['a basis with an ObjectId reference (stored as text)', { ...base, basis: { kind: 'consent', ref: oid() } }],
  ['a request id and a reason at their longest', { ...base, requestId: 'r'.repeat(100), reason: 'x'.repeat(300) }],
  ['a numeric subject id (stored as text)', { ...base, subject: { type: 'import', id: 42 as never } }],
  ['undefined optional parts', { ...base, purpose: undefined, basis: undefined, reason: undefined, actor: { userId: undefined, agencyId: oid() } }],
  ['its own time', { ...base, at: new Date('2025-01-01T00:00:00Z') }],
  ['an action with several dots and underscores', { ...base, action: 'alert.route.at_closing' }],
  ['no roles', { ...base, actor: { userId: oid(), roles: [] } }],
];

const refused: [string, AuditInput][] = [
  ['a name riding along at the top', { ...base, name: 'Jane Doe' } as never],
  ['a name riding along in the subject', { ...base, subject: { type: 'person', familyName: 'Doe' } } as never],
  ['a note riding along in the actor', { ...base, actor: { userId: oid(), note: 'x' } } as never],
  ['an unknown outcome', { ...base, outcome: 'maybe' as never }],
  ['free text as the purpose', { ...base, purpose: 'Because she said so' }],
  ['free text as the basis kind', { ...base, basis: { kind: 'She agreed on the phone' } }],
  ['a capitalised subject type', { ...base, subject: { type: 'Person' } }],
  ['an action that is not a dotted code', { ...base, action: 'Read person' }],
  ['an action that is too long', { ...base, action: `a.${'b'.repeat(63)}` }],
  ['a reason that is too long', { ...base, reason: 'x'.repeat(301) }],
  ['a subject id that is too long', { ...base, subject: { type: 'person', id: 'x'.repeat(101) } }],
  ['a request id that is too long', { ...base, requestId: 'r'.repeat(101) }],
  ['a user id that is not an ObjectId', { ...base, actor: { userId: 'not-an-id' } }],
  ['a person id that is an operator', { ...base, subject: { type: 'person', personId: { $gt: '' } as never } }],
  ['no action', { ...base, action: undefined as never }],
  ['no outcome', { ...base, outcome: undefined as never }],
  ['no subject', { ...base, subject: undefined as never }],
  ['a subject without a type', { ...base, subject: { id: 'x' } as never }],
  ['an invalid date', { ...base, at: new Date('nope') }],
];

describe('auditRecord against the AuditEvent schema', () => {
  it.each(accepted)('stores %s as the schema would', async (_name, input) => {
    const schema = await bySchema(input);
    expect(schema).toHaveProperty('stored');
    // Strictly: a member set to undefined would be stored as null, outside the hashed content.
    expect(byRecord(input)).toStrictEqual(schema);
  });

  it.each(refused)('refuses %s, as the schema does', async (_name, input) => {
    const schema = await bySchema(input);
    expect(schema).toHaveProperty('refused');
    const mine = byRecord(input);
    expect(mine).toHaveProperty('refused');
    // Same offending field (the schema may list others with it).
    expect((schema as { refused: string[] }).refused).toContain((mine as { refused: string[] }).refused[0]);
  });

  it('gives each record its own id and the current time when none is given', () => {
    const before = Date.now();
    const a = auditRecord(base);
    const b = auditRecord(base);
    expect(String(a._id)).not.toBe(String(b._id));
    expect((a.at as Date).getTime()).toBeGreaterThanOrEqual(before);
  });
});
