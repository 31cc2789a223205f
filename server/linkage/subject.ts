/**
 * An encounter's subject as the linker sees it: one normalisation (workers/linkage/normalise.ts)
 * and the blocking key values stored on the encounter so the link job can find candidates.
 */
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
