/**
 * The id lists of the common taxonomy (config/domain/taxonomy.json), for schema enums and
 * request validation. Loaded once; the file is validated at load.
 */
import { domainConfig } from '../../config/domain';

const t = domainConfig().taxonomy;
const ids = (list: readonly { id: string }[]) => list.map((x) => x.id) as [string, ...string[]];

/** Why information is being used: direct care, safeguarding, risk panel, ... */
export const PURPOSE_IDS = ids(t.purposes);
/** Kinds of data a record holds (demographics, mental health, criminal justice, ...). */
export const DATA_CATEGORY_IDS = ids(t.dataCategories);
/** Fields that never cross agencies without a per-field decision. */
export const SENSITIVE_FIELD_IDS = ids(t.sensitiveFields);
/** Common risk categories. */
export const RISK_CATEGORY_IDS = ids(t.categories);
/** Common risk levels, lowest first. */
export const RISK_LEVEL_IDS = ids([...t.levels].sort((a, b) => a.rank - b.rank));
/** Kinds of encounter. */
export const ENCOUNTER_KIND_IDS = ids(t.encounterKinds);

/** Maps a sensitive-field id to the encounter subdocument key that holds it. */
export const SENSITIVE_FIELD_KEYS: Record<string, 'safeAddress' | 'newPhone' | 'domesticAbuseDisclosure'> = {
  safe_address: 'safeAddress',
  new_phone: 'newPhone',
  domestic_abuse_disclosure: 'domesticAbuseDisclosure',
};
