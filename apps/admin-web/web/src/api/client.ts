import { CSRF_HEADER } from '@loyalty-edge/management-contracts';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An answer of the management API that is not 2xx, from its `{"error":{...}}` envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: number,
    readonly fields: readonly FieldProblem[] = [],
    /** The envelope's `details` (a 412 carries `revision` and `current` there). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** What the API said about one field (every problem, joined), when it named it. */
  fieldMessage(field: string): string | undefined {
    const messages = this.fields.filter((problem) => problem.field === field);
    return messages.length === 0
      ? undefined
      : messages.map((problem) => problem.message).join('; ');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toApiError(status: number, body: unknown): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const message =
    typeof error.message === 'string' ? error.message : `The request failed (HTTP ${status})`;
  const code = typeof error.code === 'number' ? error.code : undefined;
  const details = isRecord(error.details) ? error.details : {};
  const fields = Array.isArray(details.fields)
    ? details.fields.filter(
        (field): field is FieldProblem =>
          isRecord(field) && typeof field.field === 'string' && typeof field.message === 'string',
      )
    : [];
  return new ApiError(status, message, code, fields, details);
}

let csrfToken: string | null = null;
let sessionLost: () => void = () => undefined;

/** The session's CSRF token, sent as X-CSRF-Token on every state-changing call. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a call answers 401: the session has ended (expired, logged out elsewhere). */
export function onSessionLost(handler: () => void): void {
  sessionLost = handler;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One call to the management API under /api (same origin: the session cookie goes along). */
export async function request(method: Method, path: string, body?: unknown): Promise<unknown> {
  return (await requestTagged(method, path, body)).data;
}

/** An answer with its `ETag` (the revision of what was read or written; null when none). */
export interface Tagged<T> {
  readonly data: T;
  readonly etag: string | null;
}

/**
 * `request`, sending `ifMatch` as If-Match (the ETag of the read a change was made from) and
 * returning the answer's ETag.
 */
export async function requestTagged(
  method: Method,
  path: string,
  body?: unknown,
  ifMatch?: string,
): Promise<Tagged<unknown>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (ifMatch !== undefined) headers['if-match'] = ifMatch;
  if (method !== 'GET' && csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  if (response.ok) return { data, etag: response.headers.get('etag') };
  if (response.status === 401 && path !== '/auth/login') sessionLost();
  throw toApiError(response.status, data);
}
