/**
 * `/rota`: the on-call rota editor, for agency admins and duty managers (their agency's rota) and
 * system admins (the shared, panel-wide one). At the top, the periods in the next 14 days with
 * nobody on call and who is on call now; then each level's weekly pattern (add, change or remove
 * a slot, delete the pattern) and the one-off overrides and swaps. After each change the whole
 * rota is fetched again, so the gaps and "on call now" always show what the server resolves.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertRegion, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { SelectField } from '../components/SelectField';
import { hasAnyRole } from '../roles';
import { OnCallPanel } from './OnCallPanel';
import { PatternPanel, type ChangeResult, type PatternActions } from './PatternPanel';
import { rotaApi, type Candidate, type Rota, type RotaShift } from './rotaApi';
import { rotaErrorMessage, shouldReload } from './rotaErrors';
import { RotaGaps } from './RotaGaps';
import { ShiftForm, type ShiftInput } from './ShiftForm';
import { ShiftList } from './ShiftList';
import '../components/table.css';
import './duty.css';
import './rota.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; rota: Rota; candidates: Candidate[] };

export function RotaPage() {
  const user = useCurrentUser();
  const ownScope = hasAnyRole(user, ['duty_manager', 'agency_admin']);
  const sharedScope = user.roles.includes('system_admin');
  const [shared, setShared] = useState(!ownScope);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [levelErrors, setLevelErrors] = useState<Record<string, string>>({});
  const [shiftError, setShiftError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const shiftsHeading = useRef<HTMLHeadingElement>(null);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    rotaApi
      .get(shared)
      .then(async (rota) => ({ rota, candidates: rota.canManage ? (await rotaApi.candidates(shared)).people : [] }))
      .then(
        ({ rota, candidates }) => live && setLoad({ status: 'ready', rota, candidates }),
        (err: unknown) => live && setLoad((current) => (current.status === 'ready' ? current : { status: 'error', message: rotaErrorMessage(err) })),
      );
    return () => {
      live = false;
    };
  }, [shared, version]);

  /** Runs one change, then fetches the rota again whatever happened. */
  async function change(work: () => Promise<unknown>, done: string, fail: (message: string | null) => void): Promise<ChangeResult> {
    setBusy(true);
    setMessage('');
    fail(null);
    let result: ChangeResult;
    try {
      await work();
      setMessage(done);
      result = 'saved';
    } catch (err) {
      fail(rotaErrorMessage(err));
      result = shouldReload(err) ? 'reloaded' : 'failed';
    }
    setBusy(false);
    reload();
    return result;
  }

  const failFor = (level: string) => (m: string | null) => setLevelErrors((current) => ({ ...current, [level]: m ?? '' }));
  const patternActions: PatternActions = {
    save: (level, slots, done) => change(() => rotaApi.savePattern(shared, level.level, slots, level.patternUpdatedAt), done, failFor(level.level)),
    remove: (level) => change(() => rotaApi.deletePattern(shared, level.level), `Weekly pattern deleted: ${level.label}.`, failFor(level.level)),
  };

  async function addShift(input: ShiftInput): Promise<boolean> {
    const { level, from, to } = input;
    const work = () =>
      input.kind === 'override'
        ? rotaApi.addOverride(shared, { level, userId: input.userId, from, to })
        : rotaApi.addSwap(shared, { level, fromUserId: input.fromUserId, toUserId: input.toUserId, from, to });
    const result = await change(work, input.kind === 'override' ? 'Override added.' : 'Swap added.', setShiftError);
    // The new row is in the list above: take the user there (the status line says what happened).
    if (result === 'saved') shiftsHeading.current?.focus();
    return result === 'saved';
  }

  async function cancelShift(shift: RotaShift): Promise<void> {
    await change(() => rotaApi.cancelShift(shift.id), shift.source === 'swap' ? 'Swap cancelled.' : 'Override cancelled.', setListError);
    shiftsHeading.current?.focus();
  }

  return (
    <>
      <PageHeading title="Rota">
        Who is on call out of hours {shared ? 'on the shared, panel-wide rota' : `for ${user.agency.name}`}, at each level of the escalation ladder. Times are UK time.
      </PageHeading>
      {ownScope && sharedScope ? (
        <div className="field-narrow rota-scope">
          <SelectField label="Rota" value={shared ? 'shared' : 'own'} onChange={(e) => setShared(e.target.value === 'shared')}>
            <option value="own">{user.agency.name}</option>
            <option value="shared">Shared, panel-wide rota</option>
          </SelectField>
        </div>
      ) : null}
      <p role="status" className={message ? 'banner banner-success' : 'visually-hidden'}>
        {message}
      </p>
      {load.status === 'loading' ? <p role="status">Loading the rota…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}
      {load.status === 'ready' ? (
        <>
          <RotaGaps levels={load.rota.levels} from={load.rota.from} to={load.rota.to} timeZone={load.rota.timezone} />
          <OnCallPanel levels={load.rota.levels} horizon={load.rota.to} />
          {load.rota.levels.map((level) => (
            <PatternPanel
              key={`${shared}-${level.level}`}
              level={level}
              candidates={load.candidates}
              canManage={load.rota.canManage}
              busy={busy}
              error={levelErrors[level.level] || null}
              actions={patternActions}
            />
          ))}
          <section className="panel" aria-labelledby="rota-shifts-title">
            <h2 id="rota-shifts-title" ref={shiftsHeading} tabIndex={-1}>
              Overrides and swaps
            </h2>
            <p className="hint">One-off changes in the next 14 days. They beat the weekly pattern for their period.</p>
            <AlertRegion message={listError} />
            <ShiftList
              shifts={load.rota.shifts}
              levels={load.rota.levels}
              candidates={load.candidates}
              timeZone={load.rota.timezone}
              canManage={load.rota.canManage}
              busy={busy}
              onCancel={cancelShift}
            />
            {load.rota.canManage ? (
              <ShiftForm key={String(shared)} levels={load.rota.levels} candidates={load.candidates} timeZone={load.rota.timezone} busy={busy} error={shiftError} onSubmit={addShift} />
            ) : null}
          </section>
        </>
      ) : null}
    </>
  );
}
