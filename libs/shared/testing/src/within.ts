/**
 * Polls `check` until it is true and returns the milliseconds that took; throws once `ms` have
 * passed. For what arrives asynchronously: KV pushes, audit records, processes starting.
 */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}
