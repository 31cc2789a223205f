/**
 * Maps CSV rows to encounter inputs and validation problems to (row, column, problem), so a
 * report names the cell a person has to fix.
 */
import { EncounterInput, type EncounterInputType } from '../routes/encounters/schema';

/** The columns of an encounter import file; `external_ref`, `occurred_at`, `kind` and `categories` are required. */
export const ENCOUNTER_COLUMNS = [
  'external_ref',
  'occurred_at',
  'kind',
  'given_name',
  'family_name',
  'date_of_birth',
  'nhs_number',
  'postcode',
  'address',
  'phone',
  'risk_category',
  'risk_level',
  'risk_local_code',
  'risk_note',
  'summary',
  'categories',
  'safe_address',
  'new_phone',
  'domestic_abuse_disclosure',
] as const;

const REQUIRED = ['external_ref', 'occurred_at', 'kind', 'categories'];

/** Input path → CSV column, for reports. */
const COLUMN_OF: Record<string, string> = {
  externalRef: 'external_ref',
  occurredAt: 'occurred_at',
  kind: 'kind',
  'subject.givenName': 'given_name',
  'subject.familyName': 'family_name',
  'subject.dateOfBirth': 'date_of_birth',
  'subject.nhsNumber': 'nhs_number',
  'subject.postcode': 'postcode',
  'subject.address': 'address',
  'subject.phone': 'phone',
  'riskIndicators.0.category': 'risk_category',
  'riskIndicators.0.level': 'risk_level',
  'riskIndicators.0.localCode': 'risk_local_code',
  'riskIndicators.0.note': 'risk_note',
  'riskIndicators.0': 'risk_category',
  summary: 'summary',
  categories: 'categories',
  'sensitive.safeAddress': 'safe_address',
  'sensitive.newPhone': 'new_phone',
  'sensitive.domesticAbuseDisclosure': 'domestic_abuse_disclosure',
};

/** One problem in the report. */
export interface RowProblem {
  row: number;
  field: string;
  problem: string;
}

/** Checks the header row; returns the column index map or the problems. */
export function readHeader(fields: string[]): { index: Map<string, number> } | { problems: RowProblem[] } {
  const index = new Map<string, number>();
  const problems: RowProblem[] = [];
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(ENCOUNTER_COLUMNS as readonly string[]).includes(name)) problems.push({ row: 1, field: raw, problem: 'unknown column' });
    else if (index.has(name)) problems.push({ row: 1, field: name, problem: 'column appears twice' });
    else index.set(name, i);
  });
  for (const col of REQUIRED) if (!index.has(col)) problems.push({ row: 1, field: col, problem: 'required column is missing' });
  return problems.length ? { problems } : { index };
}

/** Turns one CSV row into a validated input, or the row's problems. */
export function rowToInput(fields: string[], index: Map<string, number>, row: number): { input: EncounterInputType } | { problems: RowProblem[] } {
  if (fields.length !== index.size) {
    return { problems: [{ row, field: '*', problem: `has ${fields.length} cells; the header has ${index.size}` }] };
  }
  const cell = (name: string): string | undefined => {
    const i = index.get(name);
    const v = i === undefined ? undefined : fields[i].trim();
    return v === '' ? undefined : v;
  };
  const hasRisk = cell('risk_category') || cell('risk_level') || cell('risk_local_code') || cell('risk_note');
  const raw = {
    externalRef: cell('external_ref') ?? '',
    occurredAt: cell('occurred_at') ?? '',
    kind: cell('kind') ?? '',
    subject: {
      givenName: cell('given_name'),
      familyName: cell('family_name'),
      dateOfBirth: cell('date_of_birth'),
      nhsNumber: cell('nhs_number'),
      postcode: cell('postcode'),
      address: cell('address'),
      phone: cell('phone'),
    },
    riskIndicators: hasRisk
      ? [{ category: cell('risk_category'), level: cell('risk_level'), localCode: cell('risk_local_code'), note: cell('risk_note') }]
      : [],
    summary: cell('summary'),
    categories: (cell('categories') ?? '').split(/[;|]/).map((s) => s.trim()).filter(Boolean),
    sensitive: { safeAddress: cell('safe_address'), newPhone: cell('new_phone'), domesticAbuseDisclosure: cell('domestic_abuse_disclosure') },
  };
  const parsed = EncounterInput.safeParse(raw);
  if (parsed.success) return { input: parsed.data };
  // One problem per cell: the first is the one to fix.
  const byField = new Map<string, RowProblem>();
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.');
    // A list cell's item (categories.1) is still that cell.
    const field = COLUMN_OF[path] ?? COLUMN_OF[path.replace(/\.\d+$/, '')] ?? path;
    if (!byField.has(field)) byField.set(field, { row, field, problem: issue.message });
  }
  return { problems: [...byField.values()] };
}
