import type {
  CustomerCount,
  CustomerEvents,
  CustomerPage,
  CustomerView,
} from '@loyalty-edge/loyalty-contracts';
import { request } from './client.js';

export type { CustomerCount, CustomerEvents, CustomerPage, CustomerView };

export type BrowserAuth = 'api_key' | 'signature';

/** What the management API sends to the gateway on the admin's behalf. */
export interface BrowserRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly auth: BrowserAuth;
}

/** The request as it was sent (credential redacted) and the gateway's answer. */
export interface BrowserExchange {
  readonly auth: BrowserAuth;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string | null;
  };
  readonly response: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly truncated: boolean;
  };
  readonly durationMs: number;
}

/** One call through the gateway, made (and for `signature` signed) by the management API. */
export const sendThroughGateway = (ws: string, call: BrowserRequest) =>
  request(
    'POST',
    `/workspaces/${encodeURIComponent(ws)}/api-browser/requests`,
    call,
  ) as Promise<BrowserExchange>;

/** The answer's JSON body, or undefined when it is not JSON. */
export function answerJson(exchange: BrowserExchange): unknown {
  try {
    return JSON.parse(exchange.response.body);
  } catch {
    return undefined;
  }
}
