/** The CSV columns the encounter import reads (server/routes/imports, the encounter schema). */
export interface ImportColumn {
  name: string;
  required: boolean;
  note: string;
}

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { name: 'external_ref', required: true, note: "Your system's reference for the contact. Rows already imported with the same reference are skipped." },
  { name: 'occurred_at', required: true, note: 'ISO 8601 with a time-zone offset, e.g. 2025-03-04T14:30:00+00:00.' },
  { name: 'kind', required: true, note: 'e.g. crisis_contact, s136_detention, ae_attendance, home_visit, other.' },
  { name: 'given_name', required: false, note: '' },
  { name: 'family_name', required: false, note: '' },
  { name: 'date_of_birth', required: false, note: 'YYYY-MM-DD.' },
  { name: 'nhs_number', required: false, note: '10 digits.' },
  { name: 'postcode', required: false, note: '' },
  { name: 'address', required: false, note: '' },
  { name: 'phone', required: false, note: '' },
  { name: 'risk_category', required: false, note: 'Common taxonomy, e.g. self_harm.' },
  { name: 'risk_level', required: false, note: 'low, medium, high or critical.' },
  { name: 'risk_local_code', required: false, note: "Your agency's own risk code, if mapped." },
  { name: 'risk_note', required: false, note: '' },
  { name: 'summary', required: false, note: '' },
  { name: 'categories', required: true, note: 'Data categories, separated by ; e.g. demographics;risk;mental_health.' },
  { name: 'safe_address', required: false, note: 'Sensitive: never shared without a per-field decision.' },
  { name: 'new_phone', required: false, note: 'Sensitive.' },
  { name: 'domestic_abuse_disclosure', required: false, note: 'Sensitive.' },
];
