/** The logging interface the store needs: a pino-compatible subset. */
export interface StoreLogger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

/** Discards everything. */
export const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };
