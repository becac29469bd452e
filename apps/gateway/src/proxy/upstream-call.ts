import type { Dispatcher } from 'undici';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { endToEndRawHeaders } from '@loyalty-edge/http';
import { addQuotaHeaders } from '../limits/rate-limit-gate.js';
import { BodyCapture } from './body-capture.js';
import type { Exchange } from './exchange.js';
import type { FailedCallRecorder } from './failed-calls.js';
import { refusal, type Refusal } from './refusal.js';

/** Why a forward failed: the upstream's fault, or a streamed body over the limit. */
export type UpstreamFailure = 'timeout' | 'unreachable' | 'too_large';

/** The answers to an upstream that gave none. */
export const UPSTREAM_REFUSALS: Readonly<Record<'timeout' | 'unreachable', Refusal>> = {
  timeout: refusal({
    status: 504,
    code: GatewayErrorCodes.gatewayTimeout,
    message: 'The upstream service did not answer in time',
    decision: 'upstream_timeout',
    reason: 'upstream_timeout',
  }),
  unreachable: refusal({
    status: 502,
    code: GatewayErrorCodes.badGateway,
    message: 'The upstream service is unavailable',
    decision: 'upstream_unreachable',
    reason: 'upstream_unreachable',
  }),
};

/** What every upstream call reports to, shared by all of them. */
export interface UpstreamRelay {
  readonly captureBytes: number;
  readonly failedCalls: FailedCallRecorder;
  /** The upstream gave no answer the client can still get. */
  failed(exchange: Exchange, failure: UpstreamFailure): void;
}

/** The error a streamed body is cut with when it passes the limit. */
export class BodyTooLarge extends Error {
  constructor() {
    super('request body over the limit');
  }
}

/** Errors of a kept-alive connection the upstream closed as it was reused: nothing was answered. */
const CONNECTION_DROPS = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

function failureOf(error: Error & { code?: string }): UpstreamFailure {
  if (error instanceof BodyTooLarge) return 'too_large';
  return error.code === 'UND_ERR_HEADERS_TIMEOUT' || error.code === 'UND_ERR_BODY_TIMEOUT'
    ? 'timeout'
    : 'unreachable';
}

function headerObject(headers: readonly string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] ?? '';
    const value = headers[i + 1] ?? '';
    const earlier = object[name];
    object[name] = earlier === undefined ? value : `${earlier}, ${value}`;
  }
  return object;
}

/**
 * One request's answer from its upstream, relayed to the client as it arrives: status and
 * end-to-end headers (with the request id and rate-limit headers added), then the body chunk by
 * chunk with the client's back-pressure passed on. An answer of 400 or more is also kept (its
 * first bytes) for the failed-call log. Written against undici's raw handler interface: headers
 * stay the byte arrays they arrived as until they are filtered once.
 */
export class UpstreamCall implements Dispatcher.DispatchHandler {
  private status = 0;
  private errorHeaders: string[] | undefined;
  private abortDispatch: ((error?: Error) => void) | undefined;
  private aborted = false;
  private resume: (() => void) | undefined;

  /**
   * @param replay sends the request once more on a new connection; given for a request that can
   *   be repeated without harm, used at most once, only if the connection dropped before any answer
   */
  constructor(
    private readonly exchange: Exchange,
    private readonly relay: UpstreamRelay,
    private replay: (() => void) | undefined,
  ) {
    exchange.upstream = this;
  }

  /** Stops the call (the client's body timed out): its error reaches {@link onError}. */
  abort(): void {
    this.aborted = true;
    this.abortDispatch?.();
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortDispatch = abort;
    if (this.aborted) abort();
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
    const { exchange } = this;
    this.status = status;
    this.resume = resume;
    const headers = endToEndRawHeaders(raw);
    headers.push('x-request-id', exchange.requestId);
    if (exchange.quota !== undefined) addQuotaHeaders(headers, exchange.quota);
    exchange.res.writeHead(status, headers);
    if (status >= 400) {
      exchange.decision = 'upstream_error';
      exchange.reason = 'upstream';
      this.errorHeaders = headers;
      exchange.responseBody = new BodyCapture(this.relay.captureBytes);
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    const { res, responseBody } = this.exchange;
    responseBody?.add(chunk);
    if (res.destroyed) {
      this.abort();
      return false;
    }
    if (res.write(chunk)) return true;
    if (this.resume) res.once('drain', this.resume);
    return false;
  }

  onComplete(): void {
    const { exchange } = this;
    exchange.res.end();
    if (this.errorHeaders !== undefined) {
      this.relay.failedCalls.record(exchange, this.status, headerObject(this.errorHeaders));
    }
  }

  onError(error: Error & { code?: string }): void {
    const { replay } = this;
    if (
      replay !== undefined &&
      this.status === 0 &&
      !this.aborted &&
      CONNECTION_DROPS.has(error.code ?? '')
    ) {
      this.replay = undefined;
      replay();
      return;
    }
    this.relay.failed(this.exchange, failureOf(error));
  }
}
