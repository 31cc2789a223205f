import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { GENESIS_HASH, auditContent, canonicalJson, chainHash } from '../../server/audit/canonical';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[1,"x"]},"b":1}');
  });

  it('spells Dates as ISO strings and ObjectIds as hex', () => {
    const id = new Types.ObjectId('65a1b2c3d4e5f60718293a4b');
    expect(canonicalJson({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), id })).toBe(
      '{"at":"2024-01-02T03:04:05.006Z","id":"65a1b2c3d4e5f60718293a4b"}',
    );
  });

  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: { p: 2, q: 3 } })).toBe(canonicalJson({ y: { q: 3, p: 2 }, x: 1 }));
  });

  it('refuses values with no single spelling', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ b: Buffer.from('x') })).toThrow(/unsupported object/);
    expect(() => canonicalJson({ d: new Date('nope') })).toThrow(/invalid Date/);
  });
});

describe('chainHash', () => {
  it('is sha256(prevHash + canonical content), with 64 zeros as the genesis prevHash', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    const want = createHash('sha256').update(`${'0'.repeat(64)}{"a":1,"b":"x"}`).digest('hex');
    expect(chainHash(GENESIS_HASH, { b: 'x', a: 1 })).toBe(want);
  });

  it('excludes _id, prevHash and hash from the hashed content', () => {
    expect(auditContent({ _id: 1, seq: 2, prevHash: 'p', hash: 'h', action: 'export' })).toEqual({ seq: 2, action: 'export' });
  });
});
