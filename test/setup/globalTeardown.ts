/** Stops the store globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  const store = (globalThis as unknown as { __testStore?: { stop(): Promise<void> } }).__testStore;
  if (store) await store.stop();
}
