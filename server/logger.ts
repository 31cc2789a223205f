/**
 * Structured logging. Every line carries a category; personal data (names, dates of birth, NHS
 * numbers, free text, tokens) never goes in a log line — log ids and counts instead. Known
 * sensitive keys are redacted as a second line of defence.
 */
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT = [
  'password', '*.password', 'passwordHash', '*.passwordHash', 'email', '*.email', 'token', '*.token',
  'secret', '*.secret', 'code', '*.code', 'req.headers.cookie', 'req.headers.authorization',
  'req.headers["x-csrf-token"]', 'name', '*.name', 'dob', '*.dob', 'nhsNumber', '*.nhsNumber',
];

/** Creates the root logger; tests pass a destination stream to capture lines. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A child logger for one part of the system, e.g. `category(logger, 'auth')`. */
export function category(logger: Logger, name: string): Logger {
  return logger.child({ category: name });
}
