/**
 * Reads FEBRL sample files (rec_id, given_name, surname, street_number, address_1, address_2,
 * suburb, postcode, state, date_of_birth, soc_sec_id) as link records, with the true entity of each
 * record (the number in rec-N-org / rec-N-dup-K).
 */
import fs from 'node:fs';
import type { LinkRecord } from './normalise';

/** FEBRL records and their true entity numbers. */
export interface FebrlData {
  records: LinkRecord[];
  truth: Int32Array;
}

/** Loads one FEBRL CSV (values are padded with a space after each comma; no quoting). */
export function loadFebrl(file: string): FebrlData {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column "${name}"`);
    return i;
  };
  const c = {
    id: col('rec_id'), given: col('given_name'), family: col('surname'), number: col('street_number'),
    a1: col('address_1'), a2: col('address_2'), suburb: col('suburb'), postcode: col('postcode'),
    dob: col('date_of_birth'), ssid: col('soc_sec_id'),
  };
  const records: LinkRecord[] = [];
  const truth = new Int32Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const v = lines[i].split(',').map((x) => x.trim());
    const id = v[c.id];
    const m = /^rec-(\d+)-/.exec(id);
    if (!m) throw new Error(`${file}:${i + 1}: rec_id "${id}" is not rec-N-...`);
    truth[i - 1] = Number(m[1]);
    records.push({
      recordId: id,
      givenName: v[c.given],
      familyName: v[c.family],
      dateOfBirth: v[c.dob],
      postcode: v[c.postcode],
      address: [v[c.number], v[c.a1], v[c.a2], v[c.suburb]].filter(Boolean).join(' '),
      identifier: v[c.ssid],
    });
  }
  return { records, truth };
}
