import { defineEvent, type Actor } from '@loyalty-edge/contracts';

/** An admin change: every mutating management call emits one (secrets redacted). */
export interface ChangeEvent {
  readonly id: string;
  readonly at: string;
  readonly workspaceId: string | null;
  readonly actor: Actor;
  readonly action: string;
  readonly target?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly source: 'ui' | 'api' | 'system';
  readonly requestId?: string;
  readonly clientIp?: string;
}

/**
 * The most a failed-call record holds (characters): the gateway cuts what it captures to these
 * (after redaction) and the audit service cuts again rather than refuse an event.
 */
export const FAILED_CALL_LIMITS = {
  /** The request target (path and query). */
  url: 8192,
  /** Header entries of a request or response. */
  headers: 200,
  headerName: 200,
  headerValue: 16_384,
  /** A request or response body. */
  body: 1_048_576,
} as const;

/** What of a failed call's request was cut to fit FAILED_CALL_LIMITS (or the capture limit). */
export type RequestTruncation = 'url' | 'headers' | 'body';
/** What of a failed call's response was cut to fit. */
export type ResponseTruncation = 'headers' | 'body';

/**
 * A failed API call seen by the gateway (status >= 400), redacted before publishing. Text is
 * cut to FAILED_CALL_LIMITS and control characters in it (NUL included) are escaped as `\u00XX`;
 * `truncated` names what was cut (absent when nothing was).
 */
export interface FailedCallEvent {
  readonly id: string;
  readonly at: string;
  readonly workspaceId: string | null;
  readonly api: string | null;
  readonly clientIp: string;
  readonly requestId: string;
  /** Why the gateway refused it (ip_denied, unknown_key, signature_mismatch, ...), or `upstream`. */
  readonly reason: string;
  readonly durationMs: number;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly truncated?: readonly RequestTruncation[];
  };
  readonly response: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly truncated?: readonly ResponseTruncation[];
  };
}

/** Auth-client lifecycle (created, revoked), published by the token service after commit. */
export interface AuthClientEvent {
  readonly id: string;
  readonly at: string;
  readonly workspaceId: string;
  readonly clientId: string;
  readonly clientName: string;
  readonly action: 'created' | 'revoked';
  readonly actor: Actor;
  /** The admin web app (`ui`), automation with an access token (`api`), or the platform. */
  readonly source: 'ui' | 'api' | 'system';
  readonly requestId?: string;
}

/**
 * One request at /v1/auth/token, published by the gateway that answered it: issued (with the
 * token's `jti`, scope and audience, never the token) or refused (with the OAuth2 error, its
 * numeric code and message). Never the client secret.
 */
export interface TokenEvent {
  readonly id: string;
  readonly at: string;
  /** null when the client id is unknown (the record then belongs to no workspace's log). */
  readonly workspaceId: string | null;
  readonly clientId: string | null;
  readonly outcome: 'issued' | 'error';
  /** The numeric code of a refusal (220010 ...). */
  readonly errorCode?: number;
  /** The OAuth2 error name of a refusal (`invalid_client`, ...). */
  readonly error?: string;
  readonly errorMessage?: string;
  readonly scope?: string;
  readonly audience?: string;
  readonly jti?: string;
  readonly clientIp: string;
  readonly userAgent?: string;
  readonly requestId?: string;
}

/**
 * Token-log entries sent together by one gateway: one JetStream message per batch instead of
 * one per token request (the gateway flushes every few tens of milliseconds or
 * `TOKEN_EVENT_BATCH_MAX_EVENTS` entries). `id` is the message's id (JetStream drops a
 * republished batch); each entry keeps its own `id`, the idempotency key of its row, and is
 * checked and stored on its own: an invalid entry never takes its neighbours with it.
 */
export interface TokenEventBatch {
  readonly id: string;
  /** When the batch was sent. */
  readonly at: string;
  readonly events: readonly TokenEvent[];
}

/** The most entries the audit service accepts in one `TokenEventBatch`. */
export const TOKEN_EVENT_BATCH_MAX_EVENTS = 1000;

/** Requests per client IP and API, counted by a gateway over one minute (IP filter preview). */
export interface ClientIpCountsEvent {
  readonly id: string;
  /** Start of the minute counted. */
  readonly at: string;
  readonly counts: readonly {
    readonly workspaceId: string;
    readonly api: string;
    readonly ip: string;
    readonly requests: number;
  }[];
}

/**
 * The AUDIT stream's subjects: every audit event is `audit.<noun>.recorded`. Not `audit.>`: that
 * would also capture the audit service's request subjects (`audit.changes.list`, ...) and the
 * stream would answer those requests with a publish ack before the service could.
 */
export const AUDIT_EVENT_SUBJECTS = 'audit.*.recorded';

/**
 * Audit events, published to the AUDIT stream and stored by the audit service.
 * Every event's `id` is its idempotency key (a UUID is best): a redelivered or republished event
 * with a known id is stored once. `at` is ISO 8601 (stored to the millisecond). Publishers
 * redact first; the audit service redacts again before it stores anything.
 */
export const AuditEvents = {
  clientIps: defineEvent<ClientIpCountsEvent>('audit.client-ips.recorded'),
  change: defineEvent<ChangeEvent>('audit.change.recorded'),
  failedCall: defineEvent<FailedCallEvent>('audit.failed-call.recorded'),
  authClient: defineEvent<AuthClientEvent>('audit.auth-client.recorded'),
  token: defineEvent<TokenEvent>('audit.token.recorded'),
  tokenBatch: defineEvent<TokenEventBatch>('audit.token-batch.recorded'),
} as const;
