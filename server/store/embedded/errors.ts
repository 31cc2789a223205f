/**
 * Errors the store answers with. Each carries a MongoDB error code and codeName so drivers and
 * mongoose map them exactly as they would real server errors.
 */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly codeName: string,
    /** Extra fields copied into the error reply (e.g. keyPattern/keyValue for duplicates). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badValue = (msg: string) => new StoreError(msg, 2, 'BadValue');
export const failedToParse = (msg: string) => new StoreError(msg, 9, 'FailedToParse');
export const typeMismatch = (msg: string) => new StoreError(msg, 14, 'TypeMismatch');
export const illegalOperation = (msg: string) => new StoreError(msg, 20, 'IllegalOperation');
export const namespaceNotFound = (msg: string) => new StoreError(msg, 26, 'NamespaceNotFound');
export const indexNotFound = (msg: string) => new StoreError(msg, 27, 'IndexNotFound');
export const pathNotViable = (msg: string) => new StoreError(msg, 28, 'PathNotViable');
export const conflictingUpdate = (msg: string) => new StoreError(msg, 40, 'ConflictingUpdateOperators');
export const cursorNotFound = (msg: string) => new StoreError(msg, 43, 'CursorNotFound');
export const namespaceExists = (msg: string) => new StoreError(msg, 48, 'NamespaceExists');
/** Used to refuse transactions (not 20: the driver rewrites code 20 on writes into a retryWrites hint). */
export const notSupportedInTransaction = (msg: string) => new StoreError(msg, 263, 'OperationNotSupportedInTransaction');
export const commandNotFound = (msg: string) => new StoreError(msg, 59, 'CommandNotFound');
export const immutableField = (msg: string) => new StoreError(msg, 66, 'ImmutableField');
export const invalidOptions = (msg: string) => new StoreError(msg, 72, 'InvalidOptions');
export const indexOptionsConflict = (msg: string) => new StoreError(msg, 85, 'IndexOptionsConflict');
export const indexKeySpecsConflict = (msg: string) => new StoreError(msg, 86, 'IndexKeySpecsConflict');

/** Converts anything thrown while running a command (including mingo errors) into a StoreError. */
export function toStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return badValue(message);
}
