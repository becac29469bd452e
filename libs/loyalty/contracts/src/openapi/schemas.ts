import { CUSTOMER_PAGE, CUSTOMER_STATUSES } from '../customers.js';
import { ACTION_ALIASES, BULK_MAX_EVENTS, LOYALTY_ACTIONS } from '../events.js';
import { ASYNC_EVENT_STATUSES } from '../async-events.js';
import { ref, type JsonSchema } from './types.js';

const nullableText = (description: string): JsonSchema => ({
  type: ['string', 'null'],
  description,
});

const customer: JsonSchema = {
  type: 'object',
  required: [
    'id',
    'status',
    'first_name',
    'last_name',
    'email',
    'birth_date',
    'language',
    'score',
    'spent',
    'spendable',
    'created_at',
    'updated_at',
  ],
  properties: {
    id: { type: 'string', description: "The integrator's own customer id" },
    status: { type: 'string', enum: [...CUSTOMER_STATUSES] },
    first_name: nullableText('First name'),
    last_name: nullableText('Last name'),
    email: nullableText('Email address'),
    birth_date: { type: ['string', 'null'], format: 'date' },
    language: nullableText('Language code such as en or en-GB'),
    score: { type: 'integer', description: 'All points earned, less points subtracted' },
    spent: { type: 'integer', description: 'Points spent' },
    spendable: { type: 'integer', description: 'Points the customer can spend now' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const actions = [...LOYALTY_ACTIONS, ...Object.keys(ACTION_ALIASES)];

const event: JsonSchema = {
  type: 'object',
  required: ['customer', 'action'],
  additionalProperties: false,
  properties: {
    customer: { type: 'string', minLength: 1, maxLength: 200, description: 'Customer id' },
    action: {
      type: 'string',
      description: `One of ${actions.join(', ')}; others are refused with 160220.`,
      examples: actions,
    },
    data: {
      type: 'object',
      additionalProperties: true,
      description: [
        'Per action: opt_in and profile take first_name, last_name, email, birth_date',
        '(YYYY-MM-DD), language (null clears a field); point_add, point_spend and',
        'point_subtract take points (integer 1–1,000,000,000; a decimal string is accepted)',
        'and reason. Other attributes are kept with the event. Nested at most 32 levels.',
      ].join(' '),
    },
    external_id: { type: 'string', minLength: 1, maxLength: 200 },
    account: { type: 'string', minLength: 1, maxLength: 100 },
  },
};

/** The component schemas of the loyalty APIs (errors are in errors.ts). */
export const loyaltySchemas: Readonly<Record<string, JsonSchema>> = {
  Customer: customer,
  EventRequest: event,
  EventForm: {
    type: 'object',
    description: [
      'The same event form-encoded as PHP http_build_query builds it:',
      '`customer=c1&action=opt_in&data[email]=…&data[tags][0]=…` (brackets nest at most 5',
      'levels, lists at most 100 elements, 1,000 fields). `api_key` may be a field of it.',
    ].join(' '),
    properties: {
      customer: { type: 'string' },
      action: { type: 'string' },
      data: { type: 'object', additionalProperties: true },
      api_key: { type: 'string' },
    },
    required: ['customer', 'action'],
  },
  EventResponse: {
    allOf: [
      ref('Customer'),
      {
        type: 'object',
        required: ['events'],
        properties: {
          events: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'action'],
              properties: {
                id: { type: 'string', format: 'uuid' },
                action: { type: 'string', enum: [...LOYALTY_ACTIONS] },
                points: { type: 'integer' },
              },
            },
          },
        },
      },
    ],
  },
  BulkEventRequest: {
    type: 'object',
    required: ['events'],
    properties: {
      events: { type: 'array', minItems: 1, maxItems: BULK_MAX_EVENTS, items: ref('EventRequest') },
    },
  },
  BulkEventResponse: {
    type: 'object',
    required: ['results'],
    properties: {
      results: {
        type: 'array',
        items: {
          type: 'object',
          required: ['index', 'status'],
          properties: {
            index: { type: 'integer' },
            status: { type: 'string', enum: ['ok', 'error'] },
            customer: ref('EventResponse'),
            error: ref('ErrorBody'),
          },
        },
      },
    },
  },
  CustomerPage: {
    type: 'object',
    required: ['data', 'next_cursor'],
    properties: {
      data: { type: 'array', maxItems: CUSTOMER_PAGE.maxLimit, items: ref('Customer') },
      next_cursor: {
        type: ['string', 'null'],
        description: 'Pass it back as `cursor` for the next page; null on the last page',
      },
    },
  },
  CustomerEvents: {
    type: 'object',
    required: ['data'],
    properties: {
      data: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'action', 'points', 'data', 'external_id', 'source', 'created_at'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            action: { type: 'string', enum: [...LOYALTY_ACTIONS] },
            points: { type: ['integer', 'null'] },
            data: { type: 'object', additionalProperties: true },
            external_id: { type: ['string', 'null'] },
            source: { type: 'string', enum: ['api', 'bulk', 'async'] },
            created_at: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
  },
  CustomerCount: {
    type: 'object',
    required: ['count'],
    properties: { count: { type: 'integer', minimum: 0 } },
  },
  AsyncEventRequest: {
    type: 'object',
    required: ['customer', 'action'],
    description:
      'An event, as for POST /events. `callback_url` is refused (400): no callbacks are sent; poll the status.',
    properties: {
      customer: { type: 'string' },
      action: { type: 'string' },
      data: { type: 'object', additionalProperties: true },
      external_id: { type: 'string' },
      account: { type: 'string' },
    },
    additionalProperties: false,
  },
  AsyncEventAccepted: {
    type: 'object',
    required: ['status', 'metadata', 'payload'],
    properties: {
      status: { const: 'success' },
      metadata: { type: 'object' },
      payload: {
        type: 'object',
        required: ['correlation_id', 'status'],
        properties: {
          correlation_id: { type: 'string', format: 'uuid' },
          status: { const: 'queued' },
        },
      },
    },
  },
  AsyncEventStatus: {
    type: 'object',
    required: ['status', 'metadata', 'payload'],
    properties: {
      status: { const: 'success' },
      metadata: { type: 'object' },
      payload: {
        type: 'object',
        required: ['correlation_id', 'status'],
        properties: {
          correlation_id: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: [...ASYNC_EVENT_STATUSES] },
          result: ref('EventResponse'),
          error: ref('ErrorBody'),
        },
      },
    },
  },
  TokenRequest: {
    type: 'object',
    required: ['grant_type'],
    properties: {
      grant_type: { const: 'client_credentials' },
      scope: { type: 'string', description: "Space-separated; all the client's scopes if absent" },
      client_id: { type: 'string', description: 'client_secret_post only' },
      client_secret: { type: 'string', description: 'client_secret_post only' },
    },
  },
  TokenResponse: {
    type: 'object',
    required: ['access_token', 'token_type', 'expires_in', 'scope'],
    properties: {
      access_token: { type: 'string', description: 'An ES256 JWT (RFC 9068)' },
      token_type: { const: 'Bearer' },
      expires_in: { type: 'integer', minimum: 300, maximum: 3600 },
      scope: { type: 'string' },
    },
  },
};
