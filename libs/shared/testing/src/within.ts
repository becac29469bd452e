const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it is true and returns the milliseconds that took; throws once `ms` have
 * passed. For measuring how soon something asynchronous arrives: KV pushes, processes starting.
 */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await pause(5);
  }
  return performance.now() - started;
}

/**
 * Runs `check` (assertions, or a read that throws while its answer is not there yet) until it
 * stops throwing, and returns what it returned; after `timeoutMs` its last failure is thrown,
 * so the test reports the assertion that never passed.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await pause(intervalMs);
    }
  }
}
