import { PublicLayout } from './PublicLayout';

/** Shown while the session is checked at start, or when the server cannot be reached. */
export function FullPageStatus({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <PublicLayout>
      <div className="panel narrow">
        <p role={onRetry ? 'alert' : 'status'}>{message}</p>
        {onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </div>
    </PublicLayout>
  );
}
