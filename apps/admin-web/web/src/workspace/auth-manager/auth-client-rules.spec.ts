import { describe, expect, it } from '@jest/globals';
import type { AuthClientOptions } from '../../api/endpoints.js';
import {
  actorLabel,
  checkDraft,
  dayRange,
  expiresAtFor,
  expiryBounds,
  formatDuration,
  initialDraft,
  parseDateInput,
  sourceLabel,
  STATUS_LABELS,
  type AuthClientDraft,
} from './auth-client-rules.js';

// local times throughout: the rules work in the admin's own calendar, whatever the time zone
const NOW = new Date(2026, 10, 30, 15, 20, 0);

function options(overrides: Partial<AuthClientOptions> = {}): AuthClientOptions {
  return {
    issuer: 'https://gateway.example.test',
    tokenValiditySeconds: 3600,
    scopes: ['async-events'],
    audiences: ['https://api.example.test', 'https://events.example.test'],
    maxExpiryDays: 365,
    ...overrides,
  };
}

function draft(overrides: Partial<AuthClientDraft> = {}): AuthClientDraft {
  return {
    name: 'Nightly export',
    purpose: 'Sends events to the CRM',
    expiryDay: '2027-01-15',
    scopes: ['async-events'],
    audience: 'https://api.example.test',
    ...overrides,
  };
}

describe('expiryBounds', () => {
  it('offers tomorrow up to today + maxExpiryDays', () => {
    expect(expiryBounds(NOW, 365)).toEqual({ min: '2026-12-01', max: '2027-11-30' });
  });

  it('counts calendar days across a month and a year end', () => {
    expect(expiryBounds(new Date(2026, 11, 31, 23, 59), 1)).toEqual({
      min: '2027-01-01',
      max: '2027-01-01',
    });
    expect(expiryBounds(new Date(2028, 1, 28, 8, 0), 1).max).toBe('2028-02-29');
  });
});

describe('expiresAtFor', () => {
  it('is the end of the chosen local day', () => {
    expect(expiresAtFor('2027-01-15', NOW, 365)).toBe(
      new Date(2027, 0, 15, 23, 59, 59, 999).toISOString(),
    );
  });

  it('stays within maxExpiryDays of now on the last day offered', () => {
    const last = expiresAtFor(expiryBounds(NOW, 30).max, NOW, 30);
    const limit = NOW.getTime() + 30 * 86_400_000;
    expect(Date.parse(last!)).toBeLessThan(limit);
    expect(Date.parse(last!)).toBeGreaterThan(limit - 5 * 60_000);
  });

  it('refuses text that is not a date', () => {
    expect(expiresAtFor('', NOW, 365)).toBeUndefined();
    expect(expiresAtFor('2027-02-30', NOW, 365)).toBeUndefined();
    expect(parseDateInput('15/01/2027')).toBeUndefined();
  });
});

describe('initialDraft', () => {
  it('defaults to the latest expiry, the only scope and the first audience', () => {
    expect(initialDraft(options(), NOW)).toEqual({
      name: '',
      purpose: '',
      expiryDay: '2027-11-30',
      scopes: ['async-events'],
      audience: 'https://api.example.test',
    });
  });

  it('checks no scope when there is a choice', () => {
    expect(initialDraft(options({ scopes: ['read', 'write'] }), NOW).scopes).toEqual([]);
  });
});

describe('checkDraft', () => {
  it('builds the request with trimmed text and the expiry as an instant', () => {
    const result = checkDraft(draft({ name: '  Nightly export ' }), options(), NOW);
    expect(result).toEqual({
      ok: true,
      request: {
        name: 'Nightly export',
        purpose: 'Sends events to the CRM',
        expiresAt: new Date(2027, 0, 15, 23, 59, 59, 999).toISOString(),
        scopes: ['async-events'],
        audience: 'https://api.example.test',
      },
    });
  });

  it('names every bad field the way the API does', () => {
    const result = checkDraft(
      draft({ name: ' ', purpose: '', expiryDay: '', scopes: [], audience: 'other' }),
      options(),
      NOW,
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => problem.field)).toEqual([
      'name',
      'purpose',
      'expiresAt',
      'scopes',
      'audience',
    ]);
  });

  it('refuses today and days past the maximum', () => {
    const today = checkDraft(draft({ expiryDay: '2026-11-30' }), options(), NOW);
    expect(today).toEqual({
      ok: false,
      problems: [{ field: 'expiresAt', message: 'The expiration date must be in the future.' }],
    });
    const late = checkDraft(draft({ expiryDay: '2027-12-01' }), options(), NOW);
    expect(late.ok ? '' : late.problems[0]?.message).toBe(
      'At most 365 days from today: 2027-11-30 or earlier.',
    );
  });

  it('sends only scopes the environment offers', () => {
    const result = checkDraft(draft({ scopes: ['async-events', 'admin'] }), options(), NOW);
    expect(result.ok ? result.request.scopes : []).toEqual(['async-events']);
  });
});

describe('dayRange', () => {
  it('runs from the start of the first day to the start of the day after the last', () => {
    expect(dayRange('2026-11-01', '2026-11-30')).toEqual({
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 11, 1).toISOString(),
    });
    expect(dayRange('', '')).toEqual({});
  });

  it('refuses a range that ends before it starts', () => {
    expect(dayRange('2026-11-30', '2026-11-01').problem).toMatch(/before/);
  });
});

describe('labels', () => {
  it('names statuses, sources and actors', () => {
    expect(Object.values(STATUS_LABELS)).toEqual(['Active', 'Revoked', 'Expired']);
    expect(sourceLabel('ui')).toBe('web app');
    expect(sourceLabel('api')).toBe('access token');
    expect(actorLabel({ type: 'admin', id: 'a1', email: 'ops@example.test' })).toBe(
      'ops@example.test',
    );
    expect(actorLabel({ type: 'token', id: 'tok_1' })).toBe('access token tok_1');
  });

  it('formats token validity in words', () => {
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(5400)).toBe('1 hour 30 minutes');
    expect(formatDuration(45)).toBe('45 seconds');
    expect(formatDuration(86_400 * 2)).toBe('2 days');
  });
});
