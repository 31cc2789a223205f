/**
 * The error classes a route or command may throw. Each has an HTTP status and a stable `code`
 * clients rely on; anything else becomes a 500 with a request id and no internals.
 */
export class AppError extends Error {
  readonly status: number = 500;
  readonly code: string = 'internal_error';
  /** Extra, non-personal details for the client (e.g. the field that failed). */
  readonly details?: Record<string, unknown>;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** 400: the request is malformed or fails validation. */
export class ValidationError extends AppError {
  override readonly status = 400;
  override readonly code: string = 'validation_failed';
}

/** 400 with a specific code (e.g. invalid_json). */
export class BadRequestError extends ValidationError {
  override readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** 401: not signed in, the session ended, or credentials were wrong. */
export class AuthenticationError extends AppError {
  override readonly status = 401;
  override readonly code: string;
  constructor(code = 'unauthenticated', message = 'Please sign in.') {
    super(message);
    this.code = code;
  }
}

/** 403: signed in but not allowed (used only where existence is not secret). */
export class ForbiddenError extends AppError {
  override readonly status = 403;
  override readonly code: string;
  constructor(code = 'forbidden', message = 'You do not have permission to do that.') {
    super(message);
    this.code = code;
  }
}

/** 404: missing, or belongs to someone the viewer may not know about — the same answer either way. */
export class NotFoundError extends AppError {
  override readonly status = 404;
  override readonly code = 'not_found';
  constructor(message = 'Not found.') {
    super(message);
  }
}

/** 409: the record changed state underneath the request. */
export class ConflictError extends AppError {
  override readonly status = 409;
  override readonly code: string;
  constructor(code = 'conflict', message = 'That record has changed; reload and try again.') {
    super(message);
    this.code = code;
  }
}

/** 429: too many requests; `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitError extends AppError {
  override readonly status = 429;
  override readonly code = 'too_many_attempts';
  constructor(readonly retryAfterSeconds: number, message = 'Too many attempts. Please wait and try again.') {
    super(message);
  }
}

/** 503: a dependency (store, Redis) is unavailable. */
export class UnavailableError extends AppError {
  override readonly status = 503;
  override readonly code = 'unavailable';
}
