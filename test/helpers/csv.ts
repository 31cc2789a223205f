/**
 * Synthetic encounter CSV files for import tests and the import benchmark: realistic rows with a
 * chosen share of bad ones, whose expected problems are known in advance.
 */
import { ENCOUNTER_COLUMNS } from '../../server/imports/encounterRows';

const GIVEN = ['Alex', 'Sam', 'Jordan', 'Priya', 'Morgan', 'Casey', 'Robin', 'Jamie', 'Taylor', 'Chris'];
const FAMILY = ['Smith', 'Jones', 'Khan', "O'Neill", 'Nowak', 'Brown', 'Evans', 'Patel', 'Wilson', 'Davies-Hughes'];
const KINDS = ['crisis_contact', 'police_report', 'ae_attendance', 'safe_haven_visit', 'assessment'];

/** The bad-row kinds and the column each one's problem is reported against. */
export const BAD_ROW_KINDS = [
  { name: 'impossible date of birth', field: 'date_of_birth' },
  { name: 'unknown kind', field: 'kind' },
  { name: 'missing external ref', field: 'external_ref' },
  { name: 'short NHS number', field: 'nhs_number' },
  { name: 'unknown data category', field: 'categories' },
  { name: 'unmapped local code', field: 'risk_local_code' },
] as const;

function quote(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Builds a CSV of `rows` data rows; every `badEvery`-th row is bad. Returns the text and the expected report. */
export function buildEncounterCsv(rows: number, opts: { badEvery?: number; prefix?: string } = {}) {
  const badEvery = opts.badEvery ?? 100;
  const prefix = opts.prefix ?? 'CSV';
  const lines = [ENCOUNTER_COLUMNS.join(',')];
  const expectedBad: { row: number; field: string }[] = [];
  for (let i = 1; i <= rows; i++) {
    const row: Record<string, string> = {
      external_ref: `${prefix}-${i}`,
      occurred_at: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString(),
      kind: KINDS[i % KINDS.length],
      given_name: GIVEN[i % GIVEN.length],
      family_name: `${FAMILY[(i * 7) % FAMILY.length]}${i % 500}`,
      date_of_birth: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
      nhs_number: '',
      postcode: `NS${1 + (i % 9)} ${i % 10}AB`,
      address: `${i} High Street, Northtown`,
      phone: '',
      risk_category: 'self_harm',
      risk_level: ['low', 'medium', 'high'][i % 3],
      risk_local_code: '',
      risk_note: i % 13 === 0 ? 'Said "not again", then left, quietly' : '',
      summary: i % 17 === 0 ? 'Two lines\nof summary' : 'Contact recorded',
      categories: 'demographics;mental_health;risk',
      safe_address: '',
      new_phone: '',
      domestic_abuse_disclosure: '',
    };
    if (i % badEvery === 0) {
      const bad = BAD_ROW_KINDS[(i / badEvery) % BAD_ROW_KINDS.length];
      if (bad.field === 'date_of_birth') row.date_of_birth = '1990-02-30';
      if (bad.field === 'kind') row.kind = 'picnic';
      if (bad.field === 'external_ref') row.external_ref = '';
      if (bad.field === 'nhs_number') row.nhs_number = '12345';
      if (bad.field === 'categories') row.categories = 'mental_health;gossip';
      if (bad.field === 'risk_local_code') {
        row.risk_category = '';
        row.risk_level = '';
        row.risk_local_code = 'NO-SUCH-CODE';
      }
      expectedBad.push({ row: 0, field: bad.field });
    }
    lines.push(ENCOUNTER_COLUMNS.map((c) => quote(row[c])).join(','));
  }
  // Row numbers are the line a record starts on (the header is line 1; some summaries span two lines).
  let line = 2;
  let badIndex = 0;
  for (let i = 1; i <= rows; i++) {
    if (i % badEvery === 0) expectedBad[badIndex++].row = line;
    line += i % 17 === 0 ? 2 : 1;
  }
  return { text: `${lines.join('\r\n')}\r\n`, expectedBad, good: rows - expectedBad.length };
}
