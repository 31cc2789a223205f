/**
 * "Check the log's integrity": the server walks the hash chain and the signed checkpoints and
 * names the first broken link. A break is shown as a prominent alert.
 */
import { useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { auditApi, type AuditVerifyResult } from '../api/audit';
import { AlertRegion } from '../components/Banner';
import { formatAuditTime, problemLabel } from './vocab';

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

export function IntegrityCheck() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ verify: AuditVerifyResult; at: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function check() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const verify = await auditApi.verify();
      setResult({ verify, at: new Date().toISOString() });
    } catch (err) {
      setResult(null);
      setError(errorMessage(err));
    }
    setBusy(false);
  }

  const verify = result?.verify;
  const broken = verify && !verify.ok;
  const firstBroken = verify?.firstBroken;

  return (
    <div aria-busy={busy}>
      <button type="button" className="button" disabled={busy} onClick={() => void check()}>
        {busy ? 'Checking…' : "Check the log's integrity"}
      </button>
      <div className="integrity-result">
        <AlertRegion message={error} />
        <div role="alert">
          {broken ? (
            <div className="integrity-broken">
              <h3>The audit log has been tampered with or damaged</h3>
              {firstBroken ? (
                <p>
                  {firstBroken.seq > 0 ? <>First broken at event seq {firstBroken.seq}: </> : <>The signed checkpoints: </>}
                  {problemLabel(firstBroken.problem)}.
                </p>
              ) : (
                <p>The check failed without naming where.</p>
              )}
              {firstBroken?.detail ? <p className="small">Detail: {firstBroken.detail}</p> : null}
              <p className="small">
                Checked {plural(verify.count, 'event', 'events')} at {formatAuditTime(result.at)}. Report this to your
                Caldicott guardian and the system administrator; do not rely on the log until it is explained.
              </p>
            </div>
          ) : null}
        </div>
        <p role="status" className={verify && verify.ok ? 'integrity-ok' : 'visually-hidden'}>
          {verify && verify.ok
            ? `Intact: ${plural(verify.count, 'event', 'events')}, ${plural(verify.checkpoints, 'signed checkpoint', 'signed checkpoints')} (last seq ${verify.lastSeq}; checked ${formatAuditTime(result.at)}).`
            : ''}
        </p>
      </div>
    </div>
  );
}
