/**
 * An encounter's subject as the linker sees it: one normalisation (workers/linkage/normalise.ts)
 * and the blocking key values stored on the encounter so the link job can find candidates, with
 * the version of the blocking keys they were computed under (rekey.ts brings stale ones up to date).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical';
import { domainConfig, type MatchingConfig } from '../../config/domain';
import { blockingKeyValues } from '../../workers/linkage/block';
import { normaliseRecord, type LinkRecord, type NormRecord } from '../../workers/linkage/normalise';

/** The subject fields of an encounter the linker compares. */
export type LinkSubject = Pick<LinkRecord, 'givenName' | 'familyName' | 'dateOfBirth' | 'nhsNumber' | 'postcode' | 'address'>;

/** Normalises a subject; `recordId` is the encounter id. */
export function normaliseSubject(recordId: string, agencyId: string, s: LinkSubject | null | undefined): NormRecord {
  return normaliseRecord({
    recordId,
    agency: agencyId,
    givenName: s?.givenName ?? null,
    familyName: s?.familyName ?? null,
    dateOfBirth: s?.dateOfBirth ?? null,
    nhsNumber: s?.nhsNumber ?? null,
    postcode: s?.postcode ?? null,
    address: s?.address ?? null,
  });
}

/** The record's non-empty blocking key values under the matching model. */
export function blockingValuesOf(r: NormRecord, config: MatchingConfig = domainConfig().matching): string[] {
  return blockingKeyValues(r, config.blocking.keys).filter((v) => v !== '');
}

const versions = new WeakMap<MatchingConfig['blocking']['keys'], string>();

/**
 * A short, stable fingerprint of the blocking keys (the first 16 hex digits of the SHA-256 of
 * their canonical JSON), stored with each encounter's blocking values. Values are prefixed by
 * their key's position, so any change to the key list (a key added, removed, reordered or given
 * other parts) leaves stored values that no longer find what the same subject would find now;
 * a record whose version differs from this one is re-keyed (rekey.ts). Renaming a key's id also
 * changes it, which costs one needless re-key and nothing else.
 */
export function blockingVersionOf(config: MatchingConfig = domainConfig().matching): string {
  const keys = config.blocking.keys;
  let v = versions.get(keys);
  if (v === undefined) {
    // Through JSON first: plain data only, whatever built the config (a parsed file, a copy).
    v = createHash('sha256').update(canonicalJson(JSON.parse(JSON.stringify(keys)))).digest('hex').slice(0, 16);
    versions.set(keys, v);
  }
  return v;
}
