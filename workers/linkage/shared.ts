/**
 * Large typed arrays of a batch run, allocated on SharedArrayBuffers. They can be handed to a
 * scoring thread as they are, and V8 does not count shared memory as external memory pressure: a
 * few hundred megabytes of ordinary ArrayBuffers allocated while a large input is live set off one
 * full collection of that input per 64 MB or so (about 0.4–0.7 s each for a million records).
 */
type TypedArrayOf<T> = { new (buffer: SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number };

/** A zero-filled typed array of `length` elements on its own SharedArrayBuffer. */
export function sharedArray<T>(Ctor: TypedArrayOf<T>, length: number): T {
  return new Ctor(new SharedArrayBuffer(length * Ctor.BYTES_PER_ELEMENT));
}
