import { BEARER_SCOPES } from '@loyalty-edge/token-contracts';
import type { SecurityScheme } from './types.js';

export const ASYNC_SCOPE = BEARER_SCOPES['async-events'] ?? 'loyalty.async_events';

const ESCHER = [
  'Escher (AWS SigV4-style HMAC) signature, wire-compatible with Antavo clients, in the',
  '`Authorization` header:',
  '',
  '`ANTAVO-HMAC-SHA256 Credential=<api key>/<YYYYMMDD>/<credential scope>, SignedHeaders=date;host, Signature=<hex>`',
  '',
  '1. Send a `Date` header (RFC 1123, or `20240101T120000Z`); it must be within 300 s of the',
  '   gateway clock. `host` and `date` must be signed.',
  '2. Canonical request: method, path, sorted query, the signed headers (lower-case names,',
  '   trimmed values), the signed header names, and the hex SHA-256 of the body.',
  '3. String to sign: `ANTAVO-HMAC-SHA256`, the long date, `<YYYYMMDD>/<scope>`, and the',
  '   hex SHA-256 of the canonical request, one per line.',
  '4. Signing key: HMAC chain from `ANTAVO` + API secret over the date, then each part of',
  '   the credential scope (`<region>/api/antavo_request`, shown with your credentials).',
  '5. Signature: hex HMAC-SHA256 of the string to sign with the signing key.',
  '',
  'Presigned GET URLs carry `X-Antavo-Algorithm`, `-Credentials`, `-Date`, `-Expires`,',
  '`-SignedHeaders` and `-Signature` query parameters instead. Escher client libraries',
  '(e.g. npm `escher-auth` with algoPrefix ANTAVO, vendorKey Antavo, authHeaderName',
  'Authorization, dateHeaderName Date) do all of this. When the workspace enforces',
  'signatures on an API, plain `api_key` requests to it get 401 110405.',
].join('\n');

export const securitySchemes: Readonly<Record<string, SecurityScheme>> = {
  api_key: {
    type: 'apiKey',
    in: 'query',
    name: 'api_key',
    description:
      'The API key (`lek_…`) as a query parameter, or as a field of an application/x-www-form-urlencoded body. Refused on APIs where the workspace enforces signatures.',
  },
  escher: { type: 'apiKey', in: 'header', name: 'Authorization', description: ESCHER },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `An access token from POST /v1/auth/token with the scope ${ASYNC_SCOPE} (ES256 JWT, verified against /.well-known/jwks.json).`,
  },
  client_credentials: {
    type: 'oauth2',
    description:
      'OAuth2 client credentials of an auth client (Authentication Manager); the token URL is on this gateway.',
    flows: {
      clientCredentials: {
        tokenUrl: '/v1/auth/token',
        scopes: { [ASYNC_SCOPE]: 'Submit async events and read their status' },
      },
    },
  },
  client_basic: {
    type: 'http',
    scheme: 'basic',
    description:
      'The token endpoint: `client_id:client_secret` (each form-encoded first, RFC 6749 §2.3.1) as HTTP Basic, or client_id and client_secret in the form body.',
  },
};

/** The credentials of the Events and Customer APIs: a plain key or a signature. */
export const KEY_OR_SIGNATURE = [{ api_key: [] }, { escher: [] }] as const;
