import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run link', () => {
  it('writes one person id per record, linking the same person across agencies', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'link-cli-'));
    const input = path.join(dir, 'records.csv');
    const out = path.join(dir, 'clusters.csv');
    fs.writeFileSync(
      input,
      [
        'record_id,agency,given_name,family_name,date_of_birth,nhs_number,postcode,address,identifier',
        'a1,police,Elizabeth,Smith-Jones,1980-03-04,,sw1a1aa,"12 High St, London",',
        'a2,ae,Liz,Smith Jones,1980-04-03,,SW1A 1AA,12 high street london,',
        'a3,ambulance,Zoë,Brontë,1975-12-01,9434765919,LS1 4AP,,X-99',
        'a4,safe_haven,Zoe,Bronte,,943 476 5919,,,',
        'a5,cmht,Bronte,Zoe,1975-12-01,,LS1 4AP,,',
        'a6,police,John,Taylor,1990-01-01,,M1 1AE,,',
        '',
      ].join('\n'),
    );
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'workers/linkage/cli.ts', input, '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(stdout).toBe('');
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['record_id', 'person_id']);
    const person = Object.fromEntries(rows.slice(1));
    expect(person.a1).toBe(person.a2);
    expect(person.a3).toBe(person.a4);
    expect(person.a3).toBe(person.a5);
    expect(new Set(Object.values(person)).size).toBe(3);
  });

  it('refuses a call without --out', () => {
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'workers/linkage/cli.ts', 'x.csv'], { cwd: ROOT, stdio: 'pipe' })).toThrow();
  });
});
