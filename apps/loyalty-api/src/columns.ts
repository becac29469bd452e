import type { QueryDeepPartialEntity, ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; points stay far below 2^53, so a number is exact. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * Rows with jsonb columns, as TypeORM's insert/update argument: its QueryDeepPartialEntity
 * maps `unknown` (inside JSON values) to `{}`, so a valid row needs this one cast.
 */
export function withJson<T>(row: T): QueryDeepPartialEntity<T> {
  return row as QueryDeepPartialEntity<T>;
}
