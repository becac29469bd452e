/**
 * Reads and validates environment variables once, at start. Every accessor records a problem
 * instead of throwing, so one start-up error names every bad variable. Values are never echoed:
 * a bad variable may hold a secret.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  private fail<T>(name: string, why: string, fallback: T): T {
    this.problems.push(`${name} ${why}`);
    return fallback;
  }

  string(name: string, fallback?: string): string {
    return this.raw(name) ?? fallback ?? this.fail(name, 'is required', '');
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) return this.fail(name, 'must be an integer', fallback);
    const parsed = Number(value);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    if (parsed < min || parsed > max) {
      return this.fail(name, `must be between ${min} and ${max}`, fallback);
    }
    return parsed;
  }

  port(name: string, fallback: number): number {
    return this.int(name, fallback, { min: 0, max: 65535 });
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    return this.fail(name, 'must be true or false', fallback);
  }

  url(name: string, protocols: readonly string[], fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) return this.fail(name, 'is required', '');
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol.replace(/:$/, ''))) {
        return this.fail(name, `must be a ${protocols.join(' or ')} URL`, '');
      }
      return value;
    } catch {
      return this.fail(name, 'must be a valid URL', '');
    }
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    return (values as readonly string[]).includes(value)
      ? (value as T)
      : this.fail(name, `must be one of ${values.join(', ')}`, fallback);
  }

  list(name: string, fallback: readonly string[] = []): string[] {
    const value = this.raw(name);
    if (value === undefined) return [...fallback];
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** A custom check: `parse` returns the value or an error message (without the value). */
  custom<T>(name: string, fallback: T, parse: (value: string) => T | { error: string }): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const result = parse(value);
    if (typeof result === 'object' && result !== null && 'error' in result) {
      return this.fail(name, result.error, fallback);
    }
    return result;
  }

  /** Records a problem found by a cross-variable check. */
  problem(name: string, why: string): void {
    this.problems.push(`${name} ${why}`);
  }

  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

export function deepFreeze<T>(value: T): T {
  if (
    value !== null &&
    typeof value === 'object' &&
    !ArrayBuffer.isView(value) &&
    !Object.isFrozen(value)
  ) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Builds a config from the environment and returns it deeply frozen, or throws ConfigError. */
export function readConfig<T>(env: Env, build: (reader: EnvReader) => T): T {
  const reader = new EnvReader(env);
  const config = build(reader);
  reader.done();
  return deepFreeze(config);
}
