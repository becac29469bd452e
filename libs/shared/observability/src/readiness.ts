export type ReadinessCheck = () => boolean | Promise<boolean>;

/** Named checks behind /readyz: database, NATS and any KV sync an app waits for. */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const checks: Record<string, boolean> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          checks[name] = await check();
        } catch {
          checks[name] = false;
        }
      }),
    );
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}
