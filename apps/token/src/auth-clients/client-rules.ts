import type { FieldProblem } from '@loyalty-edge/errors';
import type { AuthClientStatus } from '@loyalty-edge/token-contracts';

/** What a new client may be given in this environment (from the config). */
export interface ClientRules {
  readonly scopes: readonly string[];
  readonly audiences: readonly string[];
  readonly maxExpiryDays: number;
}

export interface NewClientInput {
  readonly name: string;
  readonly purpose: string;
  readonly expiresAt: string;
  readonly scopes: readonly string[];
  readonly audience: string;
}

export interface NewClient {
  readonly name: string;
  readonly purpose: string;
  readonly expiresAt: Date;
  readonly scopes: readonly string[];
  readonly audience: string;
}

export type Checked = { ok: true; client: NewClient } | { ok: false; problems: FieldProblem[] };

const DAY_MS = 86_400_000;
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * An ISO 8601 date (`2027-01-31`, midnight UTC) or date-time with a zone (`…T12:00:00Z`,
 * `…+02:00`) as an instant, or undefined when it is not one (calendar days are checked).
 */
export function parseIsoInstant(text: string): Date | undefined {
  const match = ISO_8601.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  if (match[4] !== undefined && (Number(match[4]) > 23 || Number(match[5]) > 59)) return undefined;
  if (match[6] !== undefined && Number(match[6]) > 59) return undefined;
  const instant = new Date(match[4] === undefined ? `${text}T00:00:00Z` : text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/** Characters as code points (an emoji counts once). */
function length(text: string): number {
  return Array.from(text).length;
}

/** Checks a new client against the environment's rules, listing every bad field. */
export function checkNewClient(input: NewClientInput, rules: ClientRules, now: Date): Checked {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  const name = input.name.trim();
  if (length(name) < 1 || length(name) > 100) problem('name', 'must be 1 to 100 characters');
  const purpose = input.purpose.trim();
  if (length(purpose) < 1 || length(purpose) > 500) {
    problem('purpose', 'must be 1 to 500 characters');
  }
  const expiresAt = parseIsoInstant(input.expiresAt);
  if (expiresAt === undefined) {
    problem('expiresAt', 'must be an ISO 8601 date or date-time with a time zone');
  } else if (expiresAt.getTime() <= now.getTime()) {
    problem('expiresAt', 'must be in the future');
  } else if (expiresAt.getTime() > now.getTime() + rules.maxExpiryDays * DAY_MS) {
    problem('expiresAt', `must be at most ${rules.maxExpiryDays} days ahead`);
  }
  if (input.scopes.length === 0) problem('scopes', 'must name at least one scope');
  if (new Set(input.scopes).size !== input.scopes.length)
    problem('scopes', 'must not repeat a scope');
  input.scopes.forEach((scope, index) => {
    if (!rules.scopes.includes(scope)) {
      problem(`scopes[${index}]`, `must be one of ${rules.scopes.join(', ')}`);
    }
  });
  if (!rules.audiences.includes(input.audience)) {
    problem('audience', `must be one of ${rules.audiences.join(', ')}`);
  }
  if (problems.length > 0 || expiresAt === undefined) return { ok: false, problems };
  return {
    ok: true,
    client: { name, purpose, expiresAt, scopes: [...input.scopes], audience: input.audience },
  };
}

/** Derived when read: revoked wins over expired, expired over active. */
export function statusOf(
  client: { readonly revokedAt: Date | null; readonly expiresAt: Date },
  now: Date,
): AuthClientStatus {
  if (client.revokedAt !== null) return 'revoked';
  if (client.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
