/**
 * One import's progress and report: fetched now and then every second until it has completed or
 * failed. Each poll waits for the last to answer, so a slow server never gets a pile-up.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { importsApi, isFinished, type ImportReport, type ImportSummary } from '../api/imports';

export const POLL_INTERVAL_MS = 1000;

export interface ImportPoll {
  /** The latest state; a summary (no problems yet) until the first poll answers. */
  imp: ImportSummary | ImportReport | null;
  notFound: boolean;
  /** Polling stopped after a failure; `retry` starts it again. */
  error: string | null;
  retry: () => void;
}

export function useImportPoll(id: string, initial?: ImportSummary, onFinished?: (imp: ImportReport) => void): ImportPoll {
  const [imp, setImp] = useState<ImportSummary | ImportReport | null>(initial ?? null);
  const [notFound, setNotFound] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  }, [onFinished]);

  useEffect(() => {
    let live = true;
    let timer: number | undefined;

    async function poll() {
      try {
        const { import: latest } = await importsApi.get(id);
        if (!live) return;
        setImp(latest);
        setError(null);
        if (isFinished(latest.status)) onFinishedRef.current?.(latest);
        else timer = window.setTimeout(poll, POLL_INTERVAL_MS);
      } catch (err) {
        if (!live) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setNotFound(true);
        else setError(errorMessage(err));
      }
    }

    // A fresh upload is surely still queued: give it a moment before the first poll.
    if (initial && !isFinished(initial.status) && attempt === 0) timer = window.setTimeout(poll, POLL_INTERVAL_MS);
    else void poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // `initial` only seeds the first render; a new id is a new component (keyed by the caller).
  }, [id, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { imp, notFound, error, retry };
}
