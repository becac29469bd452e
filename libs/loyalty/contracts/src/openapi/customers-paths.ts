import { ErrorCodes } from '@loyalty-edge/contracts';
import { CUSTOMER_EVENTS_PAGE, CUSTOMER_PAGE, CUSTOMER_STATUSES } from '../customers.js';
import { LoyaltyErrorCodes } from '../errors.js';
import { envelope, errorResponse, gatewayRefusals } from './errors.js';
import { KEY_OR_SIGNATURE } from './security.js';
import { ref, type Parameter, type PathItem } from './types.js';

const status = (examples?: Parameter['examples']): Parameter => ({
  name: 'status',
  in: 'query',
  description: 'Only customers with this status',
  schema: { type: 'string', enum: [...CUSTOMER_STATUSES] },
  ...(examples === undefined ? {} : { examples }),
});

const json = (schema: string, examples: Record<string, unknown>) => ({
  'application/json': {
    schema: ref(schema),
    examples: Object.fromEntries(Object.entries(examples).map(([k, value]) => [k, { value }])),
  },
});

const ann = {
  id: 'doc-c1',
  status: 'active',
  first_name: 'Ann',
  last_name: 'Lee',
  email: 'ann@example.com',
  birth_date: null,
  language: 'en',
  score: 120,
  spent: 20,
  spendable: 100,
  created_at: '2026-01-05T10:00:00.000Z',
  updated_at: '2026-01-05T10:02:00.000Z',
};

export const customersPaths: Readonly<Record<string, PathItem>> = {
  '/customers/{customer_id}': {
    get: {
      operationId: 'getCustomer',
      tags: ['Customers'],
      summary: 'Look up one customer',
      security: KEY_OR_SIGNATURE,
      parameters: [
        {
          name: 'customer_id',
          in: 'path',
          required: true,
          description: "The integrator's customer id (percent-encoded)",
          schema: { type: 'string', minLength: 1, maxLength: 200 },
          examples: { found: { value: 'doc-c1' }, unknownCustomer: { value: 'doc-nobody' } },
        },
      ],
      responses: {
        '200': { description: 'The customer', content: json('Customer', { found: ann }) },
        ...gatewayRefusals,
        '404': errorResponse('160212: no such customer in this workspace', {
          unknownCustomer: {
            value: envelope(LoyaltyErrorCodes.customerNotFound, 'Customer not found'),
          },
        }),
      },
    },
  },
  '/customers/{customer_id}/events': {
    get: {
      operationId: 'listCustomerEvents',
      tags: ['Customers'],
      summary: "A customer's latest events",
      description:
        'Applied events, newest first (refused events are not stored: see the failed-call log).',
      security: KEY_OR_SIGNATURE,
      parameters: [
        {
          name: 'customer_id',
          in: 'path',
          required: true,
          schema: { type: 'string', minLength: 1, maxLength: 200 },
          examples: { recent: { value: 'doc-c1' }, unknownCustomer: { value: 'doc-nobody' } },
        },
        {
          name: 'limit',
          in: 'query',
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: CUSTOMER_EVENTS_PAGE.maxLimit,
            default: CUSTOMER_EVENTS_PAGE.defaultLimit,
          },
          examples: { recent: { value: 2 } },
        },
      ],
      responses: {
        '200': {
          description: 'The latest events',
          content: json('CustomerEvents', {
            recent: {
              data: [
                {
                  id: '7c1c4a57-1d1e-4a3c-9a55-0d1f7f2c3b10',
                  action: 'point_spend',
                  points: 20,
                  data: { points: 20 },
                  external_id: null,
                  source: 'bulk',
                  created_at: '2026-01-05T10:02:00.000Z',
                },
              ],
            },
          }),
        },
        ...gatewayRefusals,
        '404': errorResponse('160212: no such customer in this workspace', {
          unknownCustomer: {
            value: envelope(LoyaltyErrorCodes.customerNotFound, 'Customer not found'),
          },
        }),
      },
    },
  },
  '/customers': {
    get: {
      operationId: 'listCustomers',
      tags: ['Customers'],
      summary: 'List customers, a page at a time',
      description:
        'Ordered by id. Pass `next_cursor` back as `cursor` (with the same filters) for the next page.',
      security: KEY_OR_SIGNATURE,
      parameters: [
        {
          name: 'limit',
          in: 'query',
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: CUSTOMER_PAGE.maxLimit,
            default: CUSTOMER_PAGE.defaultLimit,
          },
          examples: { firstPage: { value: 1 }, badLimit: { value: 0 } },
        },
        {
          name: 'cursor',
          in: 'query',
          description: 'The `next_cursor` of the previous page',
          schema: { type: 'string', maxLength: 400 },
        },
        status(),
      ],
      responses: {
        '200': {
          description: 'One page',
          content: json('CustomerPage', { firstPage: { data: [ann], next_cursor: 'YzpkbWMtYzE' } }),
        },
        '400': errorResponse('100400: a bad limit, status or cursor', {
          badLimit: {
            value: envelope(ErrorCodes.validation, 'Validation failed', {
              fields: [{ field: 'limit', message: 'limit must not be less than 1' }],
            }),
          },
        }),
        ...gatewayRefusals,
      },
    },
  },
  '/customers/-/count': {
    get: {
      operationId: 'countCustomers',
      tags: ['Customers'],
      summary: 'Count customers',
      security: KEY_OR_SIGNATURE,
      parameters: [status({ active: { value: 'active' } })],
      responses: {
        '200': {
          description: 'How many',
          content: json('CustomerCount', { active: { count: 2 } }),
        },
        ...gatewayRefusals,
      },
    },
  },
};
