import { describe, expect, it } from '@jest/globals';
import { buildEvent } from './event-form-rules.js';

describe(buildEvent.name, () => {
  it('builds the data of a known action from its fields, numbers as numbers', () => {
    expect(
      buildEvent({
        customer: ' c1 ',
        action: 'point_add',
        fields: { points: '120', reason: 'welcome', unrelated: 'x' },
        extraJson: '',
      }),
    ).toEqual({
      ok: true,
      event: { customer: 'c1', action: 'point_add', data: { points: 120, reason: 'welcome' } },
    });
  });

  it('leaves empty fields out and keeps what the backend must judge (points 0, bad email)', () => {
    expect(
      buildEvent({
        customer: 'c1',
        action: 'opt_in',
        fields: { email: 'not-an-email', first_name: '  ', points: '0' },
        extraJson: '',
      }),
    ).toEqual({
      ok: true,
      event: { customer: 'c1', action: 'opt_in', data: { email: 'not-an-email' } },
    });
  });

  it('merges extra JSON data, which wins over the fields', () => {
    const built = buildEvent({
      customer: 'c1',
      action: 'point_add',
      fields: { points: '5' },
      extraJson: '{"points": 0, "password": "hunter2"}',
    });
    expect(built).toEqual({
      ok: true,
      event: { customer: 'c1', action: 'point_add', data: { points: 0, password: 'hunter2' } },
    });
  });

  it('takes any action with raw JSON data', () => {
    expect(
      buildEvent({
        customer: 'c1',
        action: 'checkout',
        fields: { points: '3' },
        extraJson: '{"total": 10}',
      }),
    ).toEqual({ ok: true, event: { customer: 'c1', action: 'checkout', data: { total: 10 } } });
  });

  it.each([
    [{ customer: '' }, 'customer'],
    [{ action: ' ' }, 'action'],
    [{ extraJson: '{' }, 'extra'],
    [{ extraJson: '[1]' }, 'extra'],
  ])('refuses %p on its field', (overrides, field) => {
    const built = buildEvent({
      customer: 'c1',
      action: 'opt_in',
      fields: {},
      extraJson: '',
      ...overrides,
    });
    expect(built).toMatchObject({ ok: false, field });
  });
});
