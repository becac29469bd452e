import { ErrorCodes } from '@loyalty-edge/contracts';
import { LoyaltyErrorCodes } from '../errors.js';
import { envelope, errorResponse, gatewayRefusals } from './errors.js';
import { KEY_OR_SIGNATURE } from './security.js';
import { ref, type PathItem } from './types.js';

// Examples: a request example answers with the status of the response example of the same
// name. The contract test replays them in this order against a fresh workspace.

const customer = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  status: 'active',
  first_name: 'Ann',
  last_name: 'Lee',
  email: 'ann@example.com',
  birth_date: null,
  language: 'en',
  score: 0,
  spent: 0,
  spendable: 0,
  created_at: '2026-01-05T10:00:00.000Z',
  updated_at: '2026-01-05T10:00:00.000Z',
  ...extra,
});
const eventId = '7c1c4a57-1d1e-4a3c-9a55-0d1f7f2c3b10';

export const eventsPaths: Readonly<Record<string, PathItem>> = {
  '/events': {
    post: {
      operationId: 'submitEvent',
      tags: ['Events'],
      summary: 'Submit an event',
      description:
        'Applies one event to a customer and answers the customer after it. `opt_in` creates the customer; every other action needs one.',
      security: KEY_OR_SIGNATURE,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('EventRequest'),
            examples: {
              optIn: {
                summary: 'Opt a new customer in',
                value: {
                  customer: 'doc-c1',
                  action: 'opt_in',
                  data: {
                    first_name: 'Ann',
                    last_name: 'Lee',
                    email: 'ann@example.com',
                    language: 'en',
                  },
                },
              },
              pointAdd: {
                summary: 'Add points',
                value: {
                  customer: 'doc-c1',
                  action: 'point_add',
                  data: { points: 120, reason: 'welcome' },
                },
              },
              alreadyOptedIn: {
                summary: 'Opt in a customer who already is',
                value: { customer: 'doc-c1', action: 'opt_in', data: {} },
              },
              unknownAction: {
                summary: 'An action the backend does not know',
                value: { customer: 'doc-c1', action: 'dance', data: {} },
              },
              invalidData: {
                summary: 'Data that does not fit the action',
                value: { customer: 'doc-c1', action: 'point_add', data: { points: 0 } },
              },
              unknownCustomer: {
                summary: 'An event for a customer who does not exist',
                value: { customer: 'doc-nobody', action: 'point_add', data: { points: 5 } },
              },
            },
          },
          'application/x-www-form-urlencoded': {
            schema: ref('EventForm'),
            examples: {
              optInForm: {
                summary: 'Opt in, form-encoded as the PHP SDK sends it',
                value:
                  'customer=doc-c2&action=opt_in&data%5Bemail%5D=bo%40example.com&data%5Btags%5D%5B0%5D=gold',
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'The customer after the event, with the event applied',
          content: {
            'application/json': {
              schema: ref('EventResponse'),
              examples: {
                optIn: {
                  value: { ...customer('doc-c1'), events: [{ id: eventId, action: 'opt_in' }] },
                },
                pointAdd: {
                  value: {
                    ...customer('doc-c1', { score: 120, spendable: 120 }),
                    events: [{ id: eventId, action: 'point_add', points: 120 }],
                  },
                },
                optInForm: {
                  value: {
                    ...customer('doc-c2', {
                      first_name: null,
                      last_name: null,
                      email: 'bo@example.com',
                      language: null,
                    }),
                    events: [{ id: eventId, action: 'opt_in' }],
                  },
                },
              },
            },
          },
        },
        '400': errorResponse(
          'The event is invalid: 100400 the envelope, 160220 unknown action, 160221 bad data, 160222 insufficient points',
          {
            unknownAction: { value: envelope(LoyaltyErrorCodes.unknownAction, 'Unknown action') },
            invalidData: {
              value: envelope(LoyaltyErrorCodes.invalidEvent, 'Invalid event data', {
                fields: [
                  {
                    field: 'data.points',
                    message: 'points must be an integer from 1 to 1000000000',
                  },
                ],
              }),
            },
          },
        ),
        ...gatewayRefusals,
        '404': errorResponse('160212: the customer does not exist', {
          unknownCustomer: {
            value: envelope(LoyaltyErrorCodes.customerNotFound, 'Customer not found'),
          },
        }),
        '409': errorResponse('160213: already opted in; 160214: the customer has opted out', {
          alreadyOptedIn: {
            value: envelope(LoyaltyErrorCodes.customerExists, 'Customer has already been opted-in'),
          },
        }),
      },
    },
  },
  '/events/bulk': {
    post: {
      operationId: 'submitEvents',
      tags: ['Events'],
      summary: 'Submit up to 100 events',
      description:
        'Applied one by one, in order, each on its own: a failure does not stop the rest.',
      security: KEY_OR_SIGNATURE,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('BulkEventRequest'),
            examples: {
              bulk: {
                value: {
                  events: [
                    { customer: 'doc-c1', action: 'point_spend', data: { points: 20 } },
                    { customer: 'doc-nobody', action: 'point_add', data: { points: 1 } },
                  ],
                },
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'One result per event',
          content: {
            'application/json': {
              schema: ref('BulkEventResponse'),
              examples: {
                bulk: {
                  value: {
                    results: [
                      {
                        index: 0,
                        status: 'ok',
                        customer: {
                          ...customer('doc-c1', { score: 120, spent: 20, spendable: 100 }),
                          events: [{ id: eventId, action: 'point_spend', points: 20 }],
                        },
                      },
                      {
                        index: 1,
                        status: 'error',
                        error: {
                          type: 'NotFoundException',
                          code: 160212,
                          message: 'Customer not found',
                        },
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        '400': errorResponse('100400: not 1 to 100 events, or a malformed one', {
          empty: { value: envelope(ErrorCodes.validation, 'Validation failed') },
        }),
        ...gatewayRefusals,
      },
    },
  },
};
