import {
  ACTION_ALIASES,
  LOYALTY_ACTIONS,
  LoyaltyErrorCodes,
  type LoyaltyAction,
} from '@loyalty-edge/loyalty-contracts';
import { AppError, type FieldProblem } from '@loyalty-edge/errors';

/** Profile fields an event may set; `null` clears a field, a missing key leaves it alone. */
export interface ProfileChanges {
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly email?: string | null;
  readonly birthDate?: string | null;
  readonly language?: string | null;
}

export type PointAction = 'point_add' | 'point_spend' | 'point_subtract';

/** An event whose action is known and whose data fits it. */
export type ParsedEvent =
  | { readonly action: 'opt_in' | 'profile'; readonly profile: ProfileChanges }
  | { readonly action: 'opt_out' }
  | { readonly action: PointAction; readonly points: number; readonly reason?: string };

/** Largest number of points one event may move. */
export const MAX_POINTS_PER_EVENT = 1_000_000_000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LANGUAGE = /^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The canonical action for a name sent by a client; unknown names are refused. */
export function resolveAction(action: string): LoyaltyAction {
  const canonical = ACTION_ALIASES[action] ?? action;
  if ((LOYALTY_ACTIONS as readonly string[]).includes(canonical)) return canonical as LoyaltyAction;
  throw new AppError('invalid', LoyaltyErrorCodes.unknownAction, 'Unknown action', {
    action,
    known: [...LOYALTY_ACTIONS, ...Object.keys(ACTION_ALIASES)],
  });
}

/**
 * Checks an event's data against its action and returns it typed. Every bad field is listed
 * (as `data.<field>`); data fields this backend does not know are ignored, not refused, as
 * loyalty programs carry their own custom attributes.
 */
export function parseEvent(action: string, data: Readonly<Record<string, unknown>>): ParsedEvent {
  const canonical = resolveAction(action);
  const problems: FieldProblem[] = [];
  let parsed: ParsedEvent;
  switch (canonical) {
    case 'opt_in':
    case 'profile':
      parsed = { action: canonical, profile: parseProfile(data, problems) };
      break;
    case 'opt_out':
      parsed = { action: canonical };
      break;
    case 'point_add':
    case 'point_spend':
    case 'point_subtract': {
      const points = parsePoints(data.points, problems);
      const reason = optionalText(data, 'reason', 500, problems);
      parsed = { action: canonical, points, ...(reason == null ? {} : { reason }) };
      break;
    }
  }
  if (problems.length > 0) {
    throw new AppError('invalid', LoyaltyErrorCodes.invalidEvent, 'Invalid event data', {
      fields: problems,
    });
  }
  return parsed;
}

function parsePoints(value: unknown, problems: FieldProblem[]): number {
  // form-encoded clients send numbers as strings: accept plain decimal integers
  const points = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  if (
    typeof points !== 'number' ||
    !Number.isInteger(points) ||
    points < 1 ||
    points > MAX_POINTS_PER_EVENT
  ) {
    problems.push({
      field: 'data.points',
      message: `points must be an integer from 1 to ${MAX_POINTS_PER_EVENT}`,
    });
    return 0;
  }
  return points;
}

function parseProfile(
  data: Readonly<Record<string, unknown>>,
  problems: FieldProblem[],
): ProfileChanges {
  const changes: Record<string, string | null> = {};
  const set = (key: keyof ProfileChanges, value: string | null | undefined): void => {
    if (value !== undefined) changes[key] = value;
  };
  set('firstName', optionalText(data, 'first_name', 100, problems));
  set('lastName', optionalText(data, 'last_name', 100, problems));
  set(
    'email',
    checked(data, 'email', problems, 'email must be an email address', (v) =>
      v.length <= 254 && EMAIL.test(v) ? v : undefined,
    ),
  );
  set(
    'birthDate',
    checked(data, 'birth_date', problems, 'birth_date must be a past date YYYY-MM-DD', pastDate),
  );
  set(
    'language',
    checked(data, 'language', problems, 'language must be a language code like en or en-GB', (v) =>
      LANGUAGE.test(v) ? v : undefined,
    ),
  );
  return changes;
}

function optionalText(
  data: Readonly<Record<string, unknown>>,
  key: string,
  maxLength: number,
  problems: FieldProblem[],
): string | null | undefined {
  return checked(data, key, problems, `${key} must be a string of at most ${maxLength}`, (v) =>
    v.length <= maxLength ? v : undefined,
  );
}

/** undefined: absent; null: cleared; a string: the value `check` accepted (trimmed). */
function checked(
  data: Readonly<Record<string, unknown>>,
  key: string,
  problems: FieldProblem[],
  message: string,
  check: (value: string) => string | undefined,
): string | null | undefined {
  if (!(key in data)) return undefined;
  const value = data[key];
  if (value === null) return null;
  const accepted = typeof value === 'string' ? check(value.trim()) : undefined;
  if (accepted === undefined) problems.push({ field: `data.${key}`, message });
  return accepted;
}

function pastDate(value: string): string | undefined {
  const match = DATE.exec(value);
  if (!match) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  const sameDay =
    date.getUTCFullYear() === Number(match[1]) &&
    date.getUTCMonth() + 1 === Number(match[2]) &&
    date.getUTCDate() === Number(match[3]);
  return sameDay && date.getUTCFullYear() >= 1900 && date.getTime() <= Date.now()
    ? value
    : undefined;
}
