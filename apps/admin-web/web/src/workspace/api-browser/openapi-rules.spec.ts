import { describe, expect, it } from '@jest/globals';
import { GATEWAY_OPENAPI } from '@loyalty-edge/loyalty-contracts';
import { exampleText, operationsByTag, propertyRows, schemaType } from './openapi-rules.js';

describe(schemaType.name, () => {
  it.each([
    [{ $ref: '#/components/schemas/Customer' }, 'Customer'],
    [{ type: 'array', items: { $ref: '#/components/schemas/Customer' } }, 'array of Customer'],
    [{ type: ['string', 'null'] }, 'string | null'],
    [{ type: 'integer', minimum: 1, maximum: 100 }, 'integer 1–100'],
    [{ type: 'string', enum: ['active', 'opted_out'] }, '"active" | "opted_out"'],
    [{ const: 'Bearer' }, '"Bearer"'],
    [{ type: 'string', format: 'uuid' }, 'string (uuid)'],
  ])('describes %p as %p', (schema, text) => {
    expect(schemaType(schema)).toBe(text);
  });
});

describe(operationsByTag.name, () => {
  it('puts every operation of the reference under its tag', () => {
    const groups = operationsByTag(GATEWAY_OPENAPI);
    expect(groups.map((group) => group.tag)).toEqual([
      'Events',
      'Customers',
      'Async Events',
      'Authentication',
    ]);
    expect(groups[0]?.operations.map((op) => `${op.method} ${op.path}`)).toEqual([
      'post /events',
      'post /events/bulk',
    ]);
  });
});

describe(propertyRows.name, () => {
  it('lists properties with their types and whether they are required', () => {
    const rows = propertyRows(GATEWAY_OPENAPI.components.schemas.EventRequest ?? {});
    expect(rows.find((row) => row.name === 'customer')).toMatchObject({
      type: 'string',
      required: true,
    });
    expect(rows.find((row) => row.name === 'data')).toMatchObject({
      type: 'object',
      required: false,
    });
  });
});

describe(exampleText.name, () => {
  it('keeps a form body as it is and pretty-prints JSON', () => {
    expect(exampleText('a=1&b=2')).toBe('a=1&b=2');
    expect(exampleText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
