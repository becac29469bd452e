import { isEmail, isISO8601, length } from 'class-validator';

/**
 * Plain checks of parsed JSON, built once at load: each takes a value and returns what is kept of
 * it (the value itself, cut, or an object of its known fields only) or INVALID. The stream events
 * are checked with these (event-checks.ts) instead of class-transformer and class-validator: the
 * same rules, without an instance, metadata lookups or error objects per event (docs/audit.md).
 * String limits count characters as class-validator's `Length` does (a surrogate pair is one).
 */
export const INVALID: unique symbol = Symbol('invalid');
export type Check<T = unknown> = (value: unknown) => T | typeof INVALID;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A string of `min` to `max` characters (`Length`, `MaxLength`). */
export function text(min: number, max: number): Check<string> {
  return (value) => {
    if (typeof value !== 'string') return INVALID;
    // a string of at most `max` UTF-16 units has at most `max` characters, and a non-empty one
    // at least one: only the rest needs class-validator's count
    const fits = value.length <= max && min <= 1 ? value.length >= min : length(value, min, max);
    return fits ? value : INVALID;
  };
}

/** A string cut to `max` UTF-16 units rather than refused (free text of any length). */
export function cut(max: number): Check<string> {
  return (value) => (typeof value === 'string' ? value.slice(0, max) : INVALID);
}

/** One of `values` (`IsIn`). */
export function oneOf<const T extends string>(...values: readonly T[]): Check<T> {
  return (value) => (values.includes(value as T) ? (value as T) : INVALID);
}

/** An integer within bounds (`IsInt`, `Min`, `Max`). */
export function int(min = -Infinity, max = Infinity): Check<number> {
  return (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? value
      : INVALID;
}

/** A finite number of at least `min` (`IsNumber`, `Min`; JSON's 1e999 is Infinity). */
export function number(min: number): Check<number> {
  return (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min ? value : INVALID;
}

const ISO = { strict: true, strictSeparator: true };

/** A strict ISO 8601 timestamp that is also a date (`IsISO8601` and `Date.parse`). */
export const timestamp: Check<string> = (value) =>
  isISO8601(value, ISO) && !Number.isNaN(Date.parse(value as string)) ? (value as string) : INVALID;

/** An e-mail address of at most `max` characters (`IsEmail`, `MaxLength`). */
export function email(max: number): Check<string> {
  const within = text(0, max);
  return (value) => (isEmail(value) ? within(value) : INVALID);
}

/** Anything, kept as it is (`Allow`). */
export const anything: Check = (value) => value;

/** Absent or null is fine (`IsOptional`); anything else must pass `check`. */
export function optional<T>(check: Check<T>): Check<T | null | undefined> {
  return (value) => (value === undefined || value === null ? value : check(value));
}

/** An object of at most `maxKeys` string values of at most `maxValue` UTF-16 units. */
export function stringRecord(maxKeys: number, maxValue: number): Check<Record<string, string>> {
  return (value) => {
    if (!isObject(value)) return INVALID;
    const keys = Object.keys(value);
    if (keys.length > maxKeys) return INVALID;
    for (const key of keys) {
      const item = value[key];
      if (key.length > 200 || typeof item !== 'string' || item.length > maxValue) return INVALID;
    }
    return value as Record<string, string>;
  };
}

/** An array of at most `max` items, each passing `item` and kept as it returns it. */
export function list<T>(max: number, item: Check<T>): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value) || value.length > max) return INVALID;
    const kept: T[] = [];
    for (const entry of value as unknown[]) {
      const checked = item(entry);
      if (checked === INVALID) return INVALID;
      kept.push(checked);
    }
    return kept;
  };
}

/** A check for each field of `T`, one that may also pass null or absent where `T` does not. */
export type Shape<T> = { readonly [K in keyof T]-?: Check<T[K] | null | undefined> };

/**
 * An object (never an array or null) whose fields pass `shape`: a new object of those fields
 * only (unknown fields are dropped), `defaults` standing in for absent ones.
 */
export function object<T extends object>(
  shape: Shape<T>,
  defaults: NoInfer<Partial<T>> = {},
): Check<T> {
  const fields = Object.entries<Check>(shape);
  return (value) => {
    if (!isObject(value)) return INVALID;
    const kept: Json = {};
    for (const [key, check] of fields) {
      const given = Object.hasOwn(value, key) ? value[key] : (defaults as Json)[key];
      const checked = check(given);
      if (checked === INVALID) return INVALID;
      if (checked !== undefined) kept[key] = checked;
    }
    return kept as T;
  };
}
