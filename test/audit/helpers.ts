/** Shared bits for the audit suites: a database per file and realistic events (ids only). */
import mongoose, { Types } from 'mongoose';
import { testDbUri } from '../helpers/db';
import { AuditEvent } from '../../server/models/AuditEvent';
import { forgetAuditTail, type AuditInput } from '../../server/audit/log';

/** Connects the default connection to a fresh database for this file, with the app's query settings. */
export function useAuditDb(label: string): { uri: string } {
  const ctx = { uri: testDbUri(label) };
  beforeAll(async () => {
    mongoose.set('sanitizeFilter', true);
    mongoose.set('strictQuery', 'throw');
    await mongoose.connect(ctx.uri);
    await AuditEvent.init();
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
  });
  return ctx;
}

/** The raw collection, bypassing the model's append-only guards (what an attacker with DB access uses). */
export const rawEvents = () => mongoose.connection.collection('auditevents');

/** Empties the log between tests (raw, since the model refuses deletes), and makes appends read the new tail. */
export const clearLog = async () => {
  await rawEvents().deleteMany({});
  forgetAuditTail();
};

const agencyId = new Types.ObjectId();

/** A plausible event: the i-th read of a person's record by a practitioner. */
export function readEvent(i: number, over: Partial<AuditInput> = {}): AuditInput {
  return {
    actor: { userId: new Types.ObjectId(), agencyId, roles: ['practitioner'] },
    action: 'person.read',
    subject: { type: 'person', id: new Types.ObjectId().toHexString(), personId: new Types.ObjectId() },
    purpose: 'direct_care',
    outcome: i % 3 === 0 ? 'redacted' : 'allowed',
    reason: i % 3 === 0 ? 'no consent on file' : 'own agency',
    basis: { kind: i % 3 === 0 ? 'none' : 'own_agency' },
    requestId: `req-${i}`,
    ...over,
  };
}
