import { AppError } from '@loyalty-edge/errors';
import type { ParsedEvent } from './event-data.js';
import { applyEvent, pointsOf, type CustomerState } from './event-rules.js';

const customer = (overrides: Partial<CustomerState> = {}): CustomerState => ({
  status: 'active',
  firstName: 'Ann',
  lastName: 'Lee',
  email: 'ann@example.com',
  birthDate: null,
  language: 'en',
  score: 100,
  spent: 20,
  spendable: 80,
  ...overrides,
});

const points = (
  action: 'point_add' | 'point_spend' | 'point_subtract',
  n: number,
): ParsedEvent => ({
  action,
  points: n,
});

function refusal(current: CustomerState | undefined, event: ParsedEvent): AppError {
  try {
    applyEvent(current, event);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the event to be refused');
}

describe(applyEvent.name, () => {
  it('creates an active customer with no points on opt_in', () => {
    const created = applyEvent(undefined, { action: 'opt_in', profile: { firstName: 'Bo' } });
    expect(created).toMatchObject({ status: 'active', firstName: 'Bo', score: 0, spendable: 0 });
  });

  it('refuses opt_in of a customer who is already opted in (409 customerExists)', () => {
    const error = refusal(customer(), { action: 'opt_in', profile: {} });
    expect(error).toMatchObject({ kind: 'conflict', code: 160213 });
  });

  it('opts an opted-out customer in again, keeping points and updating the profile', () => {
    const back = applyEvent(customer({ status: 'opted_out' }), {
      action: 'opt_in',
      profile: { email: 'new@example.com' },
    });
    expect(back).toMatchObject({ status: 'active', email: 'new@example.com', spendable: 80 });
  });

  it.each<ParsedEvent>([
    { action: 'opt_out' },
    { action: 'profile', profile: {} },
    points('point_add', 1),
  ])('refuses $action for a customer who does not exist (404 160212)', (event) => {
    const error = refusal(undefined, event);
    expect(error).toMatchObject({ kind: 'not_found', code: 160212, message: 'Customer not found' });
  });

  it('opts out, and opting out again changes nothing', () => {
    const out = applyEvent(customer(), { action: 'opt_out' });
    expect(out.status).toBe('opted_out');
    expect(applyEvent(out, { action: 'opt_out' })).toEqual(out);
  });

  it('refuses point and profile events for an opted-out customer (409 customerOptedOut)', () => {
    const out = customer({ status: 'opted_out' });
    expect(refusal(out, points('point_add', 5)).code).toBe(160214);
    expect(refusal(out, { action: 'profile', profile: { firstName: 'X' } }).code).toBe(160214);
  });

  it('updates only the profile fields the event names; null clears', () => {
    const next = applyEvent(customer(), {
      action: 'profile',
      profile: { lastName: null, language: 'hu' },
    });
    expect(next).toEqual(customer({ lastName: null, language: 'hu' }));
  });

  it('adds points to score and spendable', () => {
    expect(applyEvent(customer(), points('point_add', 50))).toMatchObject({
      score: 150,
      spent: 20,
      spendable: 130,
    });
  });

  it('spends points from spendable into spent, score unchanged', () => {
    expect(applyEvent(customer(), points('point_spend', 80))).toMatchObject({
      score: 100,
      spent: 100,
      spendable: 0,
    });
  });

  it('subtracts points from score and spendable', () => {
    expect(applyEvent(customer(), points('point_subtract', 30))).toMatchObject({
      score: 70,
      spent: 20,
      spendable: 50,
    });
  });

  it.each(['point_spend', 'point_subtract'] as const)(
    'refuses %s beyond the spendable points (400 insufficientPoints)',
    (action) => {
      const error = refusal(customer(), points(action, 81));
      expect(error).toMatchObject({ kind: 'invalid', code: 160222 });
      expect(error.details).toEqual({ spendable: 80, requested: 81 });
    },
  );

  it('does not change the state it was given', () => {
    const before = customer();
    const copy = { ...before };
    applyEvent(before, points('point_add', 10));
    expect(before).toEqual(copy);
  });
});

describe(pointsOf.name, () => {
  it('is the points of a point event and undefined otherwise', () => {
    expect(pointsOf(points('point_add', 3))).toBe(3);
    expect(pointsOf({ action: 'opt_out' })).toBeUndefined();
  });
});
