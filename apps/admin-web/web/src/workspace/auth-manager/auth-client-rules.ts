import type { FieldProblem } from '../../api/client.js';
import type {
  AuthClientEvent,
  AuthClientOptions,
  AuthClientStatus,
  NewAuthClient,
  TokenEvent,
} from '../../api/endpoints.js';

// Pure rules of the Authentication Manager screens (no React, no DOM): unit-tested beside.

export const STATUS_LABELS: Readonly<Record<AuthClientStatus, string>> = {
  active: 'Active',
  revoked: 'Revoked',
  expired: 'Expired',
};

export const OUTCOME_LABELS: Readonly<Record<TokenEvent['outcome'], string>> = {
  issued: 'Issued',
  error: 'Error',
};

export const ACTION_LABELS: Readonly<Record<AuthClientEvent['action'], string>> = {
  created: 'Created',
  revoked: 'Revoked',
};

/** Where a change came from, as the admin reads it. */
export function sourceLabel(source: 'ui' | 'api' | 'system'): string {
  switch (source) {
    case 'ui':
      return 'web app';
    case 'api':
      return 'access token';
    case 'system':
      return 'platform';
  }
}

/** Who did it: the admin's e-mail, else what kind of actor and its id. */
export function actorLabel(actor: AuthClientEvent['actor']): string {
  if (actor.email !== undefined) return actor.email;
  return actor.type === 'token' ? `access token ${actor.id}` : `${actor.type} ${actor.id}`;
}

/** `3600` → `1 hour`, `5400` → `1 hour 30 minutes`, `45` → `45 seconds`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return `${seconds} seconds`;
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'day'],
    [Math.floor((seconds % 86_400) / 3600), 'hour'],
    [Math.floor((seconds % 3600) / 60), 'minute'],
    [Math.floor(seconds % 60), 'second'],
  ];
  return parts
    .filter(([count]) => count > 0)
    .map(([count, unit]) => `${count} ${unit}${count === 1 ? '' : 's'}`)
    .join(' ');
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** A local calendar day as the value of an `<input type="date">`: `2026-11-30`. */
export function dateInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `2026-11-30` → that local day at 00:00, or undefined when it is not a real date. */
export function parseDateInput(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day
    ? date
    : undefined;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

export interface ExpiryBounds {
  /** The first day a new client may expire on: tomorrow (it must be in the future). */
  readonly min: string;
  /** The last day, and the default: today + maxExpiryDays. */
  readonly max: string;
}

export function expiryBounds(now: Date, maxExpiryDays: number): ExpiryBounds {
  return {
    min: dateInputValue(addDays(now, 1)),
    max: dateInputValue(addDays(now, maxExpiryDays)),
  };
}

const DAY_MS = 86_400_000;
/** Kept below the limit so a browser clock slightly ahead of the server's is still accepted. */
const CLOCK_MARGIN_MS = 60_000;

/**
 * The `expiresAt` sent for a chosen day: the end of that local day, but never later than the
 * API allows (now + maxExpiryDays), so the last day offered is accepted too.
 */
export function expiresAtFor(day: string, now: Date, maxExpiryDays: number): string | undefined {
  const start = parseDateInput(day);
  if (start === undefined) return undefined;
  const endOfDay = addDays(start, 1).getTime() - 1;
  const latest = now.getTime() + maxExpiryDays * DAY_MS - CLOCK_MARGIN_MS;
  return new Date(Math.min(endOfDay, latest)).toISOString();
}

/** What the generate form holds: the expiry as the date input's text. */
export interface AuthClientDraft {
  readonly name: string;
  readonly purpose: string;
  readonly expiryDay: string;
  readonly scopes: readonly string[];
  readonly audience: string;
}

export function initialDraft(options: AuthClientOptions, now: Date): AuthClientDraft {
  const [onlyScope] = options.scopes;
  return {
    name: '',
    purpose: '',
    expiryDay: expiryBounds(now, options.maxExpiryDays).max,
    scopes: options.scopes.length === 1 && onlyScope !== undefined ? [onlyScope] : [],
    audience: options.audiences[0] ?? '',
  };
}

/**
 * The request for a draft, or every problem found before asking the API (which checks again
 * and names its fields the same way: `name`, `purpose`, `expiresAt`, `scopes`, `audience`).
 */
export function checkDraft(
  draft: AuthClientDraft,
  options: AuthClientOptions,
  now: Date,
): { ok: true; request: NewAuthClient } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = draft.name.trim();
  const purpose = draft.purpose.trim();
  if (name === '') problems.push({ field: 'name', message: 'Enter a name.' });
  if (purpose === '') {
    problems.push({ field: 'purpose', message: 'Say what the client is for.' });
  }
  const bounds = expiryBounds(now, options.maxExpiryDays);
  const expiresAt = expiresAtFor(draft.expiryDay, now, options.maxExpiryDays);
  if (expiresAt === undefined) {
    problems.push({ field: 'expiresAt', message: 'Choose an expiration date.' });
  } else if (draft.expiryDay < bounds.min) {
    problems.push({ field: 'expiresAt', message: 'The expiration date must be in the future.' });
  } else if (draft.expiryDay > bounds.max) {
    problems.push({
      field: 'expiresAt',
      message: `At most ${options.maxExpiryDays} days from today: ${bounds.max} or earlier.`,
    });
  }
  const scopes = options.scopes.filter((scope) => draft.scopes.includes(scope));
  if (scopes.length === 0) problems.push({ field: 'scopes', message: 'Choose a scope.' });
  if (!options.audiences.includes(draft.audience)) {
    problems.push({ field: 'audience', message: 'Choose an audience.' });
  }
  if (problems.length > 0 || expiresAt === undefined) return { ok: false, problems };
  return { ok: true, request: { name, purpose, expiresAt, scopes, audience: draft.audience } };
}

/** The date filters of an audit log: `from` the start of its day, `to` the start of the next. */
export function dayRange(
  from: string,
  to: string,
): { from?: string; to?: string; problem?: string } {
  const start = from === '' ? undefined : parseDateInput(from);
  const end = to === '' ? undefined : parseDateInput(to);
  if (from !== '' && start === undefined) return { problem: 'Enter a valid “from” date.' };
  if (to !== '' && end === undefined) return { problem: 'Enter a valid “to” date.' };
  if (start !== undefined && end !== undefined && end < start) {
    return { problem: 'The “to” date is before the “from” date.' };
  }
  return {
    ...(start === undefined ? {} : { from: start.toISOString() }),
    ...(end === undefined ? {} : { to: addDays(end, 1).toISOString() }),
  };
}
