import { ErrorCodes } from '@loyalty-edge/contracts';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { OAUTH_ERRORS, TokenErrorCodes } from '@loyalty-edge/token-contracts';
import { LoyaltyErrorCodes } from '../errors.js';
import { ref, type Example, type JsonSchema, type Response } from './types.js';

/** One row of the error table integrators see (docs/errors.md has every code). */
interface DocumentedError {
  readonly code: number;
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

const e = (code: number, status: number, type: string, message: string): DocumentedError => ({
  code,
  status,
  type,
  message,
});

const BAD = 'BadRequestException';
const UNAUTHORIZED = 'UnauthorizedException';
const FORBIDDEN = 'ForbiddenException';

/** The errors of the gateway-facing APIs, in the `{"error":{type,code,message}}` envelope. */
export const DOCUMENTED_ERRORS: readonly DocumentedError[] = [
  e(ErrorCodes.validation, 400, BAD, 'Validation failed (details.fields lists every bad field)'),
  e(ErrorCodes.payloadTooLarge, 400, BAD, 'Request body is too large (loyalty API)'),
  e(GatewayErrorCodes.missingCredentials, 401, UNAUTHORIZED, 'No api_key and no signature'),
  e(GatewayErrorCodes.invalidCredentials, 401, UNAUTHORIZED, 'Unknown or deactivated API key'),
  e(GatewayErrorCodes.invalidPath, 400, BAD, 'Invalid request path'),
  e(GatewayErrorCodes.ipNotAllowed, 403, FORBIDDEN, "Client IP not in the API's allow-list"),
  e(GatewayErrorCodes.unknownEndpoint, 404, 'NotFoundException', 'Unknown endpoint'),
  e(GatewayErrorCodes.signatureRequired, 401, UNAUTHORIZED, 'This API requires a signed request'),
  e(GatewayErrorCodes.invalidSignature, 401, UNAUTHORIZED, 'Signature authentication failed'),
  e(GatewayErrorCodes.payloadTooLarge, 413, 'PayloadTooLargeException', 'Request body too large'),
  e(GatewayErrorCodes.rateLimited, 429, 'TooManyRequestsException', 'Rate limit exceeded'),
  e(GatewayErrorCodes.badGateway, 502, 'BadGatewayException', 'Upstream unavailable'),
  e(GatewayErrorCodes.gatewayTimeout, 504, 'GatewayTimeoutException', 'Upstream timed out'),
  e(LoyaltyErrorCodes.customerNotFound, 404, 'NotFoundException', 'Customer not found'),
  e(LoyaltyErrorCodes.customerExists, 409, 'ConflictException', 'Customer already opted in'),
  e(LoyaltyErrorCodes.customerOptedOut, 409, 'ConflictException', 'Customer has opted out'),
  e(LoyaltyErrorCodes.unknownAction, 400, BAD, 'Unknown action'),
  e(LoyaltyErrorCodes.invalidEvent, 400, BAD, 'Invalid event data'),
  e(LoyaltyErrorCodes.insufficientPoints, 400, BAD, 'Insufficient points'),
  e(LoyaltyErrorCodes.asyncEventNotFound, 404, 'NotFoundException', 'Correlation ID not found'),
  e(TokenErrorCodes.bearerMissing, 401, UNAUTHORIZED, 'No Bearer token'),
  e(TokenErrorCodes.bearerInvalid, 401, UNAUTHORIZED, 'Bearer token authentication failed'),
  e(TokenErrorCodes.insufficientScope, 403, FORBIDDEN, 'The token lacks the scope'),
  e(TokenErrorCodes.moduleDisabled, 403, FORBIDDEN, 'Async Events module off for the workspace'),
];

function table(rows: readonly DocumentedError[]): string {
  return [
    '| code | status | type | message |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.code} | ${row.status} | ${row.type} | ${row.message} |`),
  ].join('\n');
}

export const ERROR_TABLE = table(DOCUMENTED_ERRORS);

export const OAUTH_ERROR_TABLE = [
  '| error | status | code |',
  '|---|---|---|',
  ...Object.entries(OAUTH_ERRORS).map(([name, row]) => `| ${name} | ${row.status} | ${row.code} |`),
].join('\n');

export const errorSchemas: Readonly<Record<string, JsonSchema>> = {
  ErrorBody: {
    type: 'object',
    required: ['type', 'code', 'message'],
    properties: {
      type: { type: 'string', examples: ['BadRequestException'] },
      code: { type: 'integer', enum: [...new Set(DOCUMENTED_ERRORS.map((row) => row.code))] },
      message: { type: 'string' },
      details: {
        type: 'object',
        description: 'Validation errors: `fields`, one entry per bad field.',
        properties: {
          fields: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'message'],
              properties: { field: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
        additionalProperties: true,
      },
    },
  },
  ErrorEnvelope: {
    type: 'object',
    description: `Every error of the Events, Customer and Async Events APIs and of the gateway.\n\n${ERROR_TABLE}`,
    required: ['error'],
    properties: { error: ref('ErrorBody') },
  },
  OAuthError: {
    type: 'object',
    description: `The token endpoint's error envelope (RFC 6749 §5.2).\n\n${OAUTH_ERROR_TABLE}`,
    required: ['status', 'error', 'details'],
    properties: {
      status: { const: 'error' },
      error: { type: 'string', enum: [...Object.keys(OAUTH_ERRORS), 'access_denied'] },
      details: {
        type: 'object',
        required: ['type', 'code', 'message'],
        properties: {
          type: { type: 'string' },
          code: { type: 'integer' },
          message: { type: 'string' },
        },
      },
    },
  },
};

/** The envelope of one error, as an example value. */
export const envelope = (code: number, message: string, details?: unknown): unknown => {
  const row = DOCUMENTED_ERRORS.find((entry) => entry.code === code);
  return {
    error: {
      type: row?.type ?? BAD,
      code,
      message,
      ...(details === undefined ? {} : { details }),
    },
  };
};

/** An error response in the envelope, with named examples. */
export function errorResponse(
  description: string,
  examples: Readonly<Record<string, Example>> = {},
): Response {
  return {
    description,
    content: { 'application/json': { schema: ref('ErrorEnvelope'), examples } },
  };
}

/** The gateway's refusals every authenticated API can answer. */
export const gatewayRefusals: Readonly<Record<string, Response>> = {
  '401': errorResponse(
    'No or bad credentials: 110400 none, 110401 unknown key, 110405 plain api_key where the workspace enforces signatures, 110406 bad signature.',
    {
      missingCredentials: {
        summary: 'No api_key and no signature',
        value: envelope(GatewayErrorCodes.missingCredentials, 'Missing API key or signature'),
      },
    },
  ),
  '403': errorResponse("110403: the client IP is not on the workspace's allow-list for this API."),
  '429': {
    ...errorResponse('110429: the credential used its requests per minute; see Retry-After.'),
    headers: {
      'Retry-After': {
        description: 'Seconds until a request would pass',
        schema: { type: 'integer' },
      },
    },
  },
};
