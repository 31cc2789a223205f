/**
 * The one fetch wrapper: JSON in and out, the CSRF header on writes, and typed errors.
 * Session-level failures (session ended, MFA enrolment required) are also reported to a
 * listener so the app can react in one place, whichever page made the call.
 */
import { ApiError, isSessionEnded } from './ApiError';
import type { ErrorBody } from './types';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiListener {
  /** The server ended the session (`unauthenticated` or `session_expired`). */
  onSessionEnded(code: string): void;
  /** The user must set up MFA before anything else answers. */
  onEnrollmentRequired(): void;
}

let csrfToken: string | null = null;
let listener: ApiListener | null = null;

/** Remember the token to send on writes; it changes at login and logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiListener(next: ApiListener | null): void {
  listener = next;
}

function retryAfterSeconds(res: Response): number | undefined {
  const raw = res.headers.get('Retry-After');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const type = res.headers.get('Content-Type') ?? '';
  if (!type.includes('application/json')) return undefined;
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

function toApiError(res: Response, body: unknown): ApiError {
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${res.status}`;
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : 'The server could not complete this request. Please try again.';
  return new ApiError(res.status, code, message, error?.requestId, retryAfterSeconds(res));
}

/** A body sent as it is rather than as JSON (a CSV file's text, say). */
export class RawBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const raw = body instanceof RawBody ? body : null;
  if (raw) headers['Content-Type'] = raw.contentType;
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: raw ? raw.text : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', "Can't reach the server. Check your connection and try again.");
  }
}

/** Fetch a fresh CSRF token, after the server refused the one we had. */
async function refreshCsrfToken(): Promise<void> {
  const res = await send('GET', '/api/auth/session', undefined);
  const body = (await readBody(res)) as { csrfToken?: unknown } | undefined;
  if (res.ok && typeof body?.csrfToken === 'string') csrfToken = body.csrfToken;
}

/** Call the API; resolves with the parsed JSON body, or `undefined` for 204. */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body);
  let data = await readBody(res);
  // Another tab may have signed in or out and rotated the token: fetch it again, once.
  if (res.status === 403 && method !== 'GET' && /csrf/i.test(toApiError(res, data).code)) {
    await refreshCsrfToken();
    res = await send(method, path, body);
    data = await readBody(res);
  }
  if (res.ok) return data as T;

  const err = toApiError(res, data);
  if (isSessionEnded(err)) listener?.onSessionEnded(err.code);
  else if (res.status === 403 && err.code === 'mfa_enrollment_required') listener?.onEnrollmentRequired();
  throw err;
}

/** A file the server sent: its bytes, and the name from `Content-Disposition` when there is one. */
export interface Download {
  blob: Blob;
  filename: string | null;
}

function attachmentName(res: Response): string | null {
  const header = res.headers.get('Content-Disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** Call the API for a file (an export): resolves with the raw body, or throws as `request` does. */
export async function requestBlob(method: Method, path: string, body?: unknown): Promise<Download> {
  let res = await send(method, path, body);
  // An error body is read once, here or below; a file body is left for `blob()`.
  let data = res.ok ? undefined : await readBody(res);
  if (res.status === 403 && method !== 'GET' && /csrf/i.test(toApiError(res, data).code)) {
    await refreshCsrfToken();
    res = await send(method, path, body);
    data = res.ok ? undefined : await readBody(res);
  }
  if (res.ok) {
    try {
      return { blob: await res.blob(), filename: attachmentName(res) };
    } catch {
      throw new ApiError(0, 'network_error', "Can't reach the server. Check your connection and try again.");
    }
  }
  const err = toApiError(res, data);
  if (isSessionEnded(err)) listener?.onSessionEnded(err.code);
  else if (res.status === 403 && err.code === 'mfa_enrollment_required') listener?.onEnrollmentRequired();
  throw err;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  /** POST text as it is, e.g. `postText(path, csv, 'text/csv')`. */
  postText: <T>(path: string, text: string, contentType: string) => request<T>('POST', path, new RawBody(text, contentType)),
  /** POST for a file (an export): the raw body as a Blob rather than parsed JSON. */
  postBlob: (path: string, body?: unknown) => requestBlob('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
