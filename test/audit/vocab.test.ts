/**
 * The IG audit browser names every action the server writes in words, and offers each one in its
 * filter: an IG lead reading the log at 3 a.m. should not have to decode `rota.shift_cancel`.
 * The codes are collected from the server and workers' source, so a new audited action without a
 * label fails here. The client is an ES-module tree of its own, so its vocabulary is read as text.
 */
import fs from 'node:fs';
import path from 'node:path';

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

const VOCAB = fs.readFileSync(path.join(ROOT, 'client/src/audit/vocab.ts'), 'utf8');

/** The body of `export const <name>… = {…}` / `[…]` in the client's vocabulary. */
function literal(name: string, open: '{' | '['): string {
  const start = VOCAB.indexOf(`export const ${name}`);
  if (start < 0) throw new Error(`${name} not found in client/src/audit/vocab.ts`);
  const from = VOCAB.indexOf(open === '{' ? '= {' : '= [', start) + 3;
  return VOCAB.slice(from, VOCAB.indexOf(open === '{' ? '\n};' : '\n];', from));
}

/** Action code → label, from ACTION_LABELS. */
const LABELS = new Map([...literal('ACTION_LABELS', '{').matchAll(/^\s*'?([a-z_.]+)'?:\s*(['"])(.*)\2,$/gm)].map((m) => [m[1], m[3]]));
/** The filter's codes, from FILTER_ACTIONS. */
const FILTER = [...literal('FILTER_ACTIONS', '[').matchAll(/^\s*'([a-z_.]+)',$/gm)].map((m) => m[1]);

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
    expect(LABELS.get(action)).toMatch(/^[A-Z]/);
  });

  it.each(actions)('offers %s in the action filter', (action) => {
    expect(FILTER).toContain(action);
  });

  it('reads the vocabulary (the parse itself works) and lists each filter action once', () => {
    expect(LABELS.get('person.read')).toBe('Person record opened');
    expect(LABELS.get('break_glass')).toBe('Emergency access (break-glass)');
    expect(FILTER.length).toBeGreaterThan(60);
    expect(new Set(FILTER).size).toBe(FILTER.length);
  });
});
