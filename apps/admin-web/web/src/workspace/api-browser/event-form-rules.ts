import { LOYALTY_ACTIONS, type LoyaltyAction } from '@loyalty-edge/loyalty-contracts';

/** One field of a known action's data form. */
export interface EventField {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'email' | 'date' | 'number';
  readonly hint?: string;
}

const PROFILE: readonly EventField[] = [
  { name: 'first_name', label: 'First name', type: 'text' },
  { name: 'last_name', label: 'Last name', type: 'text' },
  { name: 'email', label: 'Email', type: 'email' },
  { name: 'birth_date', label: 'Birth date', type: 'date', hint: 'YYYY-MM-DD' },
  { name: 'language', label: 'Language', type: 'text', hint: 'en, en-GB, hu…' },
];

const POINTS: readonly EventField[] = [
  { name: 'points', label: 'Points', type: 'number', hint: 'A whole number, 1 or more' },
  { name: 'reason', label: 'Reason', type: 'text' },
];

/** The data fields of each action the reference backend knows (apps/loyalty-api event rules). */
export const ACTION_FIELDS: Readonly<Record<LoyaltyAction, readonly EventField[]>> = {
  opt_in: PROFILE,
  opt_out: [],
  profile: PROFILE,
  point_add: POINTS,
  point_spend: POINTS,
  point_subtract: POINTS,
};

export const KNOWN_ACTIONS: readonly LoyaltyAction[] = LOYALTY_ACTIONS;

export function isKnownAction(action: string): action is LoyaltyAction {
  return (KNOWN_ACTIONS as readonly string[]).includes(action);
}

export type EventBuild =
  | { readonly ok: true; readonly event: Record<string, unknown> }
  | {
      readonly ok: false;
      readonly field: 'customer' | 'action' | 'extra';
      readonly message: string;
    };

/**
 * The event to send: the form's fields (empty ones left out, points as a number when they are
 * one, so the backend's own check decides) merged with the extra JSON data. Nothing is
 * refused that the backend would judge itself: the point is to see what it answers.
 */
export function buildEvent(input: {
  readonly customer: string;
  readonly action: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly extraJson: string;
}): EventBuild {
  const customer = input.customer.trim();
  const action = input.action.trim();
  if (customer === '') return { ok: false, field: 'customer', message: 'Enter a customer id' };
  if (action === '') return { ok: false, field: 'action', message: 'Enter an action' };
  let extra: unknown = {};
  if (input.extraJson.trim() !== '') {
    try {
      extra = JSON.parse(input.extraJson);
    } catch {
      return { ok: false, field: 'extra', message: 'Not valid JSON' };
    }
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
      return { ok: false, field: 'extra', message: 'Enter a JSON object, like {"key": "value"}' };
    }
  }
  const data: Record<string, unknown> = {};
  const known = isKnownAction(action) ? ACTION_FIELDS[action] : [];
  for (const field of known) {
    const value = input.fields[field.name]?.trim() ?? '';
    if (value === '') continue;
    data[field.name] = field.type === 'number' && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return { ok: true, event: { customer, action, data: { ...data, ...(extra as object) } } };
}
