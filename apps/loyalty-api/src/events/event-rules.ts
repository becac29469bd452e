import { LoyaltyErrorCodes, type CustomerStatus } from '@loyalty-edge/loyalty-contracts';
import { AppError } from '@loyalty-edge/errors';
import type { ParsedEvent, ProfileChanges } from './event-data.js';

/** What the rules look at and change: a customer without keys and timestamps. */
export interface CustomerState {
  readonly status: CustomerStatus;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly birthDate: string | null;
  readonly language: string | null;
  readonly score: number;
  readonly spent: number;
  readonly spendable: number;
}

export const customerNotFound = (): AppError =>
  new AppError('not_found', LoyaltyErrorCodes.customerNotFound, 'Customer not found');

const EMPTY: CustomerState = {
  status: 'active',
  firstName: null,
  lastName: null,
  email: null,
  birthDate: null,
  language: null,
  score: 0,
  spent: 0,
  spendable: 0,
};

/**
 * The customer after an event, or the domain error that refuses it. Pure: the caller loads
 * the customer (locked), calls this, and writes the result.
 *
 * - opt_in creates the customer; on an opted-out customer it opts them in again (with the new
 *   profile data); on an active customer it is refused (409 customerExists), as Antavo does.
 * - opt_out of an opted-out customer changes nothing (idempotent).
 * - every other event needs an active customer (409 customerOptedOut).
 * - score counts points earned less points subtracted; spendable is what can be spent now;
 *   spend moves points from spendable to spent. Neither may go below zero.
 */
export function applyEvent(current: CustomerState | undefined, event: ParsedEvent): CustomerState {
  if (event.action === 'opt_in') {
    if (current === undefined) return withProfile(EMPTY, event.profile);
    if (current.status === 'active') {
      throw new AppError(
        'conflict',
        LoyaltyErrorCodes.customerExists,
        'Customer has already been opted-in',
      );
    }
    return withProfile({ ...current, status: 'active' }, event.profile);
  }
  if (current === undefined) throw customerNotFound();
  if (event.action === 'opt_out') return { ...current, status: 'opted_out' };
  if (current.status !== 'active') {
    throw new AppError('conflict', LoyaltyErrorCodes.customerOptedOut, 'Customer has opted out');
  }
  switch (event.action) {
    case 'profile':
      return withProfile(current, event.profile);
    case 'point_add':
      if (current.score + event.points > Number.MAX_SAFE_INTEGER) {
        throw new AppError('invalid', LoyaltyErrorCodes.invalidEvent, 'Point total too large');
      }
      return {
        ...current,
        score: current.score + event.points,
        spendable: current.spendable + event.points,
      };
    case 'point_spend':
      requireSpendable(current, event.points);
      return {
        ...current,
        spent: current.spent + event.points,
        spendable: current.spendable - event.points,
      };
    case 'point_subtract':
      requireSpendable(current, event.points);
      return {
        ...current,
        score: current.score - event.points,
        spendable: current.spendable - event.points,
      };
  }
}

/** The points an event moved, for the response and the events table. */
export function pointsOf(event: ParsedEvent): number | undefined {
  return 'points' in event ? event.points : undefined;
}

function requireSpendable(current: CustomerState, points: number): void {
  if (points > current.spendable) {
    throw new AppError('invalid', LoyaltyErrorCodes.insufficientPoints, 'Insufficient points', {
      spendable: current.spendable,
      requested: points,
    });
  }
}

function withProfile(state: CustomerState, changes: ProfileChanges): CustomerState {
  return {
    ...state,
    firstName: changes.firstName === undefined ? state.firstName : changes.firstName,
    lastName: changes.lastName === undefined ? state.lastName : changes.lastName,
    email: changes.email === undefined ? state.email : changes.email,
    birthDate: changes.birthDate === undefined ? state.birthDate : changes.birthDate,
    language: changes.language === undefined ? state.language : changes.language,
  };
}
