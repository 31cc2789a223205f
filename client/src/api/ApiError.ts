/** A failed API call, carrying the server's stable error code. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** Stable code from the error body (`invalid_credentials`, `session_expired`, ...). */
    readonly code: string,
    message: string,
    /** The server's request id, worth quoting to support. */
    readonly requestId?: string,
    /** Seconds from a `Retry-After` header, when the server sent one. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Codes with which the server says the session is gone. */
export const SESSION_ENDED_CODES = ['unauthenticated', 'session_expired'] as const;

export function isSessionEnded(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && (SESSION_ENDED_CODES as readonly string[]).includes(err.code);
}

/** A message fit to show a user for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong. Please try again.';
}
