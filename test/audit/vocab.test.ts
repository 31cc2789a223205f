/**
 * The IG audit browser names every action the server writes in words, and offers each one in its
 * filter: an IG lead reading the log at 3 a.m. should not have to decode `rota.shift_cancel`.
 * The codes are collected from the server and workers' source, so a new audited action without a
 * label fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACTION_LABELS, FILTER_ACTIONS, actionLabel } from '../../client/src/audit/vocab';

const ROOT = path.resolve(__dirname, '../..');
const PREFIXES = [
  'agency', 'agreement', 'alert', 'api_client', 'audit', 'auth', 'break_glass', 'code_map', 'conference', 'consent', 'decision',
  'duty', 'encounter', 'match_review', 'person', 'rota', 'sar', 'task', 'user', 'webhook',
];
const CODE = new RegExp(`'((?:${PREFIXES.join('|')})\\.[a-z_]+(?:\\.[a-z_]+)*)'`, 'g');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Dotted codes in the source that are audit actions (socket event names use other spellings). */
function auditedActions(): string[] {
  const found = new Set<string>();
  for (const file of [...sourceFiles(path.join(ROOT, 'server')), ...sourceFiles(path.join(ROOT, 'workers'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(CODE)) found.add(m[1]);
  }
  return [...found].sort();
}

describe('audit browser vocabulary', () => {
  const actions = auditedActions();

  it('finds the audited actions in the source (the scan itself works)', () => {
    expect(actions).toEqual(expect.arrayContaining(['person.read', 'alert.acknowledge', 'conference.message.redact', 'rota.swap']));
    expect(actions.length).toBeGreaterThan(60);
  });

  it.each(actions)('labels %s in words', (action) => {
    expect(ACTION_LABELS[action]).toMatch(/^[A-Z]/);
  });

  it.each(actions)('offers %s in the action filter', (action) => {
    expect(FILTER_ACTIONS).toContain(action);
  });

  it('falls back to words for a code it does not know, and lists each filter action once', () => {
    expect(actionLabel('thing.done_twice')).toMatch(/thing done twice/i);
    expect(new Set(FILTER_ACTIONS).size).toBe(FILTER_ACTIONS.length);
  });
});
