import { ACTOR_TYPES, type Actor } from '@loyalty-edge/contracts';
import type {
  AuthClientEvent,
  ChangeEvent,
  ClientIpCountsEvent,
  FailedCallEvent,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';
import {
  anything,
  cut,
  email,
  int,
  list,
  number,
  object,
  oneOf,
  optional,
  stringRecord,
  text,
  timestamp,
  type Check,
} from './check.js';

/**
 * What the audit service accepts from the stream, one check per event type. Unknown fields are
 * dropped (a newer publisher must not poison the consumer); nullable contract fields may also be
 * absent, and so may fields added to a contract later (an older publisher's event is still
 * stored). A nested object (actor, request, response, count) must be an object.
 */

/** Fields every event has. */
const EVENT = { id: text(1, 100), at: timestamp };
const SOURCE = oneOf('ui', 'api', 'system');

/** The rules of `ActorDto` (@loyalty-edge/runtime), which requests are validated with. */
const actor: Check<Actor> = object({
  type: oneOf(...ACTOR_TYPES),
  id: text(1, 200),
  email: optional(email(320)),
});

export const checkChange: Check<ChangeEvent> = object({
  ...EVENT,
  workspaceId: optional(text(1, 64)),
  actor,
  action: text(1, 200),
  target: optional(text(0, 500)),
  before: anything,
  after: anything,
  source: SOURCE,
  requestId: optional(text(0, 200)),
  clientIp: optional(text(0, 64)),
});

/**
 * The limits are FAILED_CALL_LIMITS; fit-event.ts cuts a failed call to them before it is
 * checked, so these only refuse what is no failed call at all (wrong types, missing fields).
 */
const headers = stringRecord(200, 16_384);

export const checkFailedCall: Check<FailedCallEvent> = object({
  ...EVENT,
  workspaceId: optional(text(1, 64)),
  api: optional(text(1, 64)),
  clientIp: text(1, 64),
  requestId: text(0, 200),
  reason: text(1, 100),
  durationMs: number(0),
  request: object({
    method: text(1, 16),
    url: text(1, 8192),
    headers,
    body: text(0, 1_048_576),
    truncated: optional(list(3, oneOf('url', 'headers', 'body'))),
  }),
  response: object({
    status: int(100, 599),
    headers,
    body: text(0, 1_048_576),
    truncated: optional(list(2, oneOf('headers', 'body'))),
  }),
});

export const checkAuthClient: Check<AuthClientEvent> = object(
  {
    ...EVENT,
    workspaceId: text(1, 64),
    clientId: text(1, 200),
    clientName: text(0, 200),
    action: oneOf('created', 'revoked'),
    actor,
    source: SOURCE,
    requestId: optional(text(0, 200)),
  },
  // absent in events published before the field existed: those came from the platform
  { source: 'system' },
);

export const checkToken: Check<TokenEvent> = object({
  ...EVENT,
  workspaceId: optional(text(1, 64)),
  clientId: optional(text(1, 200)),
  outcome: oneOf('issued', 'error'),
  errorCode: optional(int()),
  error: optional(text(0, 200)),
  // free text a caller can make as long as it likes (a refusal message quoting the request, a
  // User-Agent header) is cut instead: a refused token event would hide the request from the log
  errorMessage: optional(cut(500)),
  scope: optional(text(0, 500)),
  audience: optional(text(0, 500)),
  jti: optional(text(0, 200)),
  clientIp: text(1, 64),
  userAgent: optional(cut(1024)),
  requestId: optional(text(0, 200)),
});

export const checkClientIps: Check<ClientIpCountsEvent> = object({
  ...EVENT,
  counts: list(
    10_000,
    object({
      workspaceId: text(1, 64),
      api: text(1, 64),
      ip: text(1, 64),
      requests: int(0),
    }),
  ),
});
