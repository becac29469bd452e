import type {
  CustomerCount,
  CustomerEvents,
  CustomerPage,
  CustomerView,
} from '@loyalty-edge/loyalty-contracts';
import type {
  BrowserAuth,
  BrowserExchange,
  BrowserRequest,
} from '@loyalty-edge/management-contracts';
import { request } from './client.js';

export type { CustomerCount, CustomerEvents, CustomerPage, CustomerView };

export type { BrowserAuth, BrowserExchange, BrowserRequest };

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
