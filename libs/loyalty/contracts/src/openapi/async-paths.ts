import { ErrorCodes } from '@loyalty-edge/contracts';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { OAUTH_ERRORS, TokenErrorCodes } from '@loyalty-edge/token-contracts';
import { LoyaltyErrorCodes } from '../errors.js';
import { envelope, errorResponse } from './errors.js';
import { ASYNC_SCOPE } from './security.js';
import { ref, type PathItem, type Response } from './types.js';

const correlationId = '0f8e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

const bearerRefusals: Readonly<Record<string, Response>> = {
  '401': errorResponse(
    '220051: no Bearer token (also for an api_key or Escher request); 220052: the token is invalid, expired or revoked',
    {
      noToken: {
        value: envelope(
          TokenErrorCodes.bearerMissing,
          'The Async Events API requires a Bearer token',
        ),
      },
    },
  ),
  '403': errorResponse(
    `220053: the token lacks ${ASYNC_SCOPE}; 220054: the workspace's Async Events module is off; 110403: IP not allowed`,
  ),
};

const oauthError = (name: keyof typeof OAUTH_ERRORS, message: string): unknown => ({
  status: 'error',
  error: name,
  details: { type: OAUTH_ERRORS[name].type, code: OAUTH_ERRORS[name].code, message },
});

export const asyncPaths: Readonly<Record<string, PathItem>> = {
  '/v1/async/events': {
    post: {
      operationId: 'queueAsyncEvent',
      tags: ['Async Events'],
      summary: 'Queue an event',
      description:
        'Checks the action and data at once (400), queues the event and answers its correlation id. No callback is sent: poll the status.',
      security: [{ bearer: [] }, { client_credentials: [ASYNC_SCOPE] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('AsyncEventRequest'),
            examples: {
              queued: {
                value: {
                  customer: 'doc-c1',
                  action: 'point_add',
                  data: { points: 10 },
                  external_id: 'order-1001',
                },
              },
              callbackRefused: {
                summary: 'callback_url is refused',
                value: {
                  customer: 'doc-c1',
                  action: 'point_add',
                  data: { points: 10 },
                  callback_url: 'https://hooks.example.com/loyalty',
                },
              },
              unknownAction: { value: { customer: 'doc-c1', action: 'dance' } },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'Queued',
          content: {
            'application/json': {
              schema: ref('AsyncEventAccepted'),
              examples: {
                queued: {
                  value: {
                    status: 'success',
                    metadata: {},
                    payload: { correlation_id: correlationId, status: 'queued' },
                  },
                },
              },
            },
          },
        },
        '400': errorResponse(
          '100400: malformed (callback_url among others); 160220, 160221: action or data',
          {
            callbackRefused: {
              value: envelope(ErrorCodes.validation, 'Validation failed', {
                fields: [
                  {
                    field: 'callback_url',
                    message:
                      'callback_url is not supported: poll GET /v1/async/events/{correlation_id} for the status',
                  },
                ],
              }),
            },
            unknownAction: { value: envelope(LoyaltyErrorCodes.unknownAction, 'Unknown action') },
          },
        ),
        ...bearerRefusals,
      },
    },
  },
  '/v1/async/events/{correlation_id}': {
    get: {
      operationId: 'getAsyncEvent',
      tags: ['Async Events'],
      summary: 'The status of a queued event',
      description:
        'queued → processing → processed (with the result POST /events would answer) or failed (with its error).',
      security: [{ bearer: [] }, { client_credentials: [ASYNC_SCOPE] }],
      parameters: [
        {
          name: 'correlation_id',
          in: 'path',
          required: true,
          schema: { type: 'string', format: 'uuid' },
          examples: { unknownEvent: { value: correlationId } },
        },
      ],
      responses: {
        '200': {
          description: 'The status',
          content: {
            'application/json': {
              schema: ref('AsyncEventStatus'),
              examples: {
                processed: {
                  value: {
                    status: 'success',
                    metadata: {},
                    payload: { correlation_id: correlationId, status: 'processed' },
                  },
                },
              },
            },
          },
        },
        '404': errorResponse("160230: no such event in the token's workspace", {
          unknownEvent: {
            value: envelope(LoyaltyErrorCodes.asyncEventNotFound, 'Correlation ID not found'),
          },
        }),
        ...bearerRefusals,
      },
    },
  },
  '/v1/auth/token': {
    post: {
      operationId: 'issueToken',
      tags: ['Authentication'],
      summary: 'Get an access token (OAuth2 client credentials)',
      description:
        'RFC 6749 §4.4. Errors use the OAuth2 envelope; every answer has Cache-Control: no-store. Discovery: /.well-known/oauth-authorization-server and /.well-known/jwks.json.',
      security: [{ client_basic: [] }],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: ref('TokenRequest'),
            examples: {
              issued: { value: `grant_type=client_credentials&scope=${ASYNC_SCOPE}` },
              unsupportedGrant: { value: 'grant_type=password' },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'The access token',
          content: {
            'application/json': {
              schema: ref('TokenResponse'),
              examples: {
                issued: {
                  value: {
                    access_token: 'eyJhbGciOiJFUzI1NiIs…',
                    token_type: 'Bearer',
                    expires_in: 3600,
                    scope: ASYNC_SCOPE,
                  },
                },
              },
            },
          },
        },
        '400': {
          description:
            'invalid_request, unauthorized_client, unsupported_grant_type or invalid_scope',
          content: {
            'application/json': {
              schema: ref('OAuthError'),
              examples: {
                unsupportedGrant: {
                  value: oauthError(
                    'unsupported_grant_type',
                    'Only the client_credentials grant type is supported',
                  ),
                },
              },
            },
          },
        },
        '401': {
          description: 'invalid_client, with WWW-Authenticate: Basic realm="OAuth2 Token Endpoint"',
          headers: {
            'WWW-Authenticate': { description: 'The Basic challenge', schema: { type: 'string' } },
          },
          content: {
            'application/json': {
              schema: ref('OAuthError'),
              examples: {
                wrongSecret: {
                  value: oauthError('invalid_client', 'Client authentication failed'),
                },
              },
            },
          },
        },
        '403': {
          description: `access_denied (${GatewayErrorCodes.ipNotAllowed}): the client IP is not allowed`,
          content: { 'application/json': { schema: ref('OAuthError') } },
        },
      },
    },
  },
};
