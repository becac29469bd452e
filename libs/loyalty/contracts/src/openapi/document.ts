import { asyncPaths } from './async-paths.js';
import { customersPaths } from './customers-paths.js';
import { errorSchemas } from './errors.js';
import { eventsPaths } from './events-paths.js';
import { loyaltySchemas } from './schemas.js';
import { KEY_OR_SIGNATURE, securitySchemes } from './security.js';
import type { OpenApiDocument } from './types.js';

/** Where every gateway serves the document: no credentials, cached for five minutes. */
export const GATEWAY_OPENAPI_PATH = '/openapi.json';

const DESCRIPTION = [
  'The loyalty APIs as integrators call them through the Loyalty Edge gateway: the Events and',
  'Customer APIs (plain `api_key` or an Escher signature), the Async Events API (Bearer JWT)',
  'and the OAuth2 token endpoint that issues those tokens.',
  '',
  "Before a request reaches an API the gateway applies the workspace's IP allow-list (403",
  '110403), authenticates it, refuses plain `api_key` requests where the workspace enforces',
  'signatures (401 110405) and counts it against the rate limit (429 110429). Every answer of',
  "400 or more, with the request, is in the workspace's failed-call log (admin web app, API",
  'browser → Errors), passwords and secrets redacted.',
  '',
  'Errors are `{"error":{"type","code","message","details?"}}` (the `ErrorEnvelope` schema',
  'lists the codes); the token endpoint answers in the OAuth2 envelope. Every answer carries',
  '`X-Request-Id`.',
].join('\n');

/** The OpenAPI 3.1 document of the gateway-facing APIs: one source for the gateway, the admin web app and the contract test. */
export const GATEWAY_OPENAPI: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Loyalty Edge gateway APIs', version: '1', description: DESCRIPTION },
  servers: [{ url: '/', description: 'The gateway that serves this document' }],
  tags: [
    {
      name: 'Events',
      description: 'Submit events: opt_in creates a customer, the others change one',
    },
    { name: 'Customers', description: 'Look customers up, list and count them' },
    {
      name: 'Async Events',
      description: 'Queue events and poll their status, with an access token',
    },
    { name: 'Authentication', description: 'Access tokens for the Async Events API' },
  ],
  security: KEY_OR_SIGNATURE,
  paths: { ...eventsPaths, ...customersPaths, ...asyncPaths },
  components: { schemas: { ...loyaltySchemas, ...errorSchemas }, securitySchemes },
};
