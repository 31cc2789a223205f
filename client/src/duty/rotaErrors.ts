/** What rota editors are told for the codes `/api/rota` answers with (server/errors.ts codes). */
import { ApiError, errorMessage } from '../api/ApiError';

const CODES: Record<string, string> = {
  rota_changed: 'Someone else changed this weekly pattern while you were editing it. The latest version is shown now: check it and make your change again.',
  not_on_call: 'The person whose cover you are swapping is not on call for the whole of that period. Choose a period inside their cover, or add an override instead.',
  not_on_call_eligible: 'Only active duty managers of your agency can be put on call. Choose someone else, or ask an administrator to give them the duty manager role.',
  not_found: 'That was already removed or cancelled. The rota has been refreshed.',
  forbidden: 'You do not have permission to change this rota.',
};

/** Validation messages (`field: message`) in the form's own words. */
const MESSAGES: Record<string, string> = {
  'to: must be after from': 'The end must be after the start.',
  'to: must be within 31 days of from': 'A one-off period can last at most 31 days. Split a longer one, or change the weekly pattern.',
  'toUserId: must differ from fromUserId': 'Choose someone other than the person whose cover it is.',
};

const FIELDS: [RegExp, string][] = [
  [/^slots\.\d+\.days/, 'Days'],
  [/^slots\.\d+\.start/, 'Starts at'],
  [/^slots\.\d+\.end/, 'Ends at'],
  [/^slots\.\d+\.userId|^userId/, 'Who is on call'],
  [/^fromUserId/, 'Whose cover'],
  [/^toUserId/, 'Who takes it over'],
  [/^from/, 'From'],
  [/^to/, 'Until'],
  [/^level/, 'Level'],
];

/** A message for a failed rota change: known codes and fields in plain words, else the server's. */
export function rotaErrorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return errorMessage(err);
  if (CODES[err.code]) return CODES[err.code];
  if (err.code === 'validation_failed') {
    if (MESSAGES[err.message]) return MESSAGES[err.message];
    const m = /^([\w.]+): (.*)$/.exec(err.message);
    const label = m ? FIELDS.find(([re]) => re.test(m[1]))?.[1] : undefined;
    if (m && label) return `${label}: ${m[2]}.`;
  }
  return err.message;
}

/** Errors after which the page should fetch the rota again (it changed under the editor). */
export function shouldReload(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'rota_changed' || err.status === 404 || err.code === 'not_on_call');
}
