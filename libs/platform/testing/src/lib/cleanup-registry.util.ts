type Cleanup = () => Promise<void>;

// Handles not cleaned up by their test. Jest gives every test file its own module registry, so
// this set (and the afterAll hook below) exists once per test file.
const pending = new Set<Cleanup>();

/** Registers a cleanup; returns the function that unregisters it (call it once it ran). */
export function registerCleanup(cleanup: Cleanup): () => void {
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

/** Runs every pending cleanup (stops servers, removes temp dirs). Safe to call any number of times. */
export async function cleanupTestServers(): Promise<void> {
  const all = [...pending];
  pending.clear();
  const results = await Promise.allSettled(all.map((cleanup) => cleanup()));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new AggregateError(failed.map((f) => f.reason as unknown), 'Some test servers failed to clean up');
}

// Imported from a Jest test file: make leftovers of that file go away after its last test,
// even when the test forgot (or failed before) its own cleanup.
if (typeof afterAll === 'function') {
  afterAll(cleanupTestServers);
}
