import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError, type FieldProblem } from '@loyalty-edge/errors';
import type { BrowserMethod } from '@loyalty-edge/management-contracts';

/** What the API browser may call: the Events and Customer APIs, nothing else. */
interface AllowedRoute {
  readonly method: BrowserMethod;
  readonly pattern: RegExp;
  readonly query: readonly string[];
  readonly body: boolean;
}

/** A customer id segment: 1–200 characters, no slash, not `.` or `..` (it is percent-encoded). */
const CUSTOMER_ID = /^\/customers\/(?!-\/)([^/]{1,200})$/;
const CUSTOMER_EVENTS = /^\/customers\/(?!-\/)([^/]{1,200})\/events$/;

const ROUTES: readonly AllowedRoute[] = [
  { method: 'POST', pattern: /^\/events$/, query: [], body: true },
  { method: 'POST', pattern: /^\/events\/bulk$/, query: [], body: true },
  { method: 'GET', pattern: /^\/customers$/, query: ['limit', 'cursor', 'status'], body: false },
  { method: 'GET', pattern: /^\/customers\/-\/count$/, query: ['status'], body: false },
  { method: 'GET', pattern: CUSTOMER_ID, query: [], body: false },
  { method: 'GET', pattern: CUSTOMER_EVENTS, query: ['limit'], body: false },
];

/** Largest JSON body the browser may send (the gateway's own limit is far larger). */
export const MAX_BROWSER_BODY_BYTES = 64 * 1024;
const MAX_QUERY_VALUE = 400;

export interface BrowserCall {
  readonly method: BrowserMethod;
  /** The path as the gateway gets it: a customer id percent-encoded. */
  readonly path: string;
  /** Checked here: values must be strings. */
  readonly query: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

export interface BrowserTarget {
  readonly method: BrowserMethod;
  /** Path and query string, ready to append to the gateway's base URL. */
  readonly pathAndQuery: string;
  /** The JSON text to send, for routes with a body. */
  readonly body: string | undefined;
}

const invalid = (problems: FieldProblem[]): AppError =>
  new AppError('invalid', ErrorCodes.validation, 'Validation failed', { fields: problems });

/** `/customers/{id}[/events]` with the id encoded; other paths as given. */
function encodedPath(path: string): string {
  const events = CUSTOMER_EVENTS.exec(path)?.[1];
  if (events !== undefined) return `/customers/${encodeURIComponent(events)}/events`;
  const id = CUSTOMER_ID.exec(path)?.[1];
  return id === undefined ? path : `/customers/${encodeURIComponent(id)}`;
}

/**
 * Checks a call against the allow-list (method, path, query names, body size) and builds what
 * goes to the gateway. Nothing here can name another host: the base URL comes from config.
 */
export function browserTarget(call: BrowserCall): BrowserTarget {
  const route = ROUTES.find((r) => r.pattern.test(call.path));
  if (
    route === undefined ||
    call.path.includes('..') ||
    /^\/customers\/\.(\/events)?$/.test(call.path)
  ) {
    throw invalid([
      { field: 'path', message: 'path must be one of the Events or Customer API paths' },
    ]);
  }
  const problems: FieldProblem[] = [];
  if (route.method !== call.method) {
    problems.push({ field: 'method', message: `${call.path} takes ${route.method}` });
  }
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(call.query)) {
    if (!route.query.includes(name)) {
      problems.push({ field: `query.${name}`, message: `${call.path} takes no ${name}` });
    } else if (typeof value !== 'string') {
      problems.push({ field: `query.${name}`, message: 'must be a string' });
    } else if (value.length > MAX_QUERY_VALUE) {
      problems.push({ field: `query.${name}`, message: `at most ${MAX_QUERY_VALUE} characters` });
    } else if (value !== '') {
      query.set(name, value);
    }
  }
  let body: string | undefined;
  if (route.body) {
    body = JSON.stringify(call.body ?? null);
    if (call.body === undefined || call.body === null || typeof call.body !== 'object') {
      problems.push({ field: 'body', message: 'body must be a JSON object' });
    } else if (Buffer.byteLength(body) > MAX_BROWSER_BODY_BYTES) {
      problems.push({
        field: 'body',
        message: `body must be at most ${MAX_BROWSER_BODY_BYTES} bytes`,
      });
    }
  } else if (call.body !== undefined) {
    problems.push({ field: 'body', message: `${call.method} ${call.path} takes no body` });
  }
  if (problems.length > 0) throw invalid(problems);
  const text = query.toString();
  return {
    method: route.method,
    pathAndQuery: `${encodedPath(call.path)}${text === '' ? '' : `?${text}`}`,
    body,
  };
}
