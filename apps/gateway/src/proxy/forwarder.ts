import { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { TRUSTED_HEADERS } from '@loyalty-edge/loyalty-contracts';
import type { RoutedApi, Upstream } from '../edge/api-router.js';
import type { Exchange } from './exchange.js';
import { upstreamRequestHeaders, withoutCredentials } from './headers.js';
import { BodyTooLarge, UpstreamCall, type UpstreamRelay } from './upstream-call.js';

export interface ForwardLimits {
  /** How long the upstream may take to send its headers, and to send each part of its body. */
  readonly timeoutMs: number;
  readonly bodyLimit: number;
}

/** Methods a client may expect to be sent twice without harm (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * A request body as it streams to the upstream: counted against the limit (a chunked body
 * declares no length) and its first bytes kept for the failed-call log. The client's stream is
 * paused, never destroyed, when the limit is passed, so the client still gets its 413.
 */
function streamedBody(exchange: Exchange, limit: number): Readable {
  const { req } = exchange;
  let size = 0;
  const body = new Readable({ read: () => req.resume() });
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.pause();
      body.destroy(new BodyTooLarge());
      return;
    }
    exchange.requestBody.add(chunk);
    if (!body.push(chunk)) req.pause();
  });
  req.on('end', () => body.push(null));
  req.on('close', () => {
    if (!req.complete) body.destroy(new Error('the client went away'));
  });
  return body;
}

/**
 * Sends admitted requests to their API's upstream over a pool of kept-alive connections per
 * upstream (undici): method, path and query kept (credentials removed), end-to-end headers
 * kept, the gateway's trusted headers added, the body streamed (or sent from memory when it was
 * read for authentication).
 *
 * A kept-alive connection the upstream closed just as it was reused (an upstream restarting, or
 * closing idle connections) fails before any answer. An idempotent request whose body is not
 * being streamed is then sent once more on a new connection, as nginx's
 * `proxy_next_upstream error` does; any other is answered 502.
 */
export class Forwarder {
  private readonly pools = new Map<string, Pool>();

  constructor(
    private readonly limits: ForwardLimits,
    private readonly relay: UpstreamRelay,
  ) {}

  forward(exchange: Exchange, api: RoutedApi): void {
    const { req } = exchange;
    const headers = upstreamRequestHeaders(req.headers);
    headers[TRUSTED_HEADERS.workspaceId] = exchange.workspaceId;
    headers[TRUSTED_HEADERS.authMethod] = exchange.authMethod;
    headers[TRUSTED_HEADERS.requestId] = exchange.requestId;
    if (exchange.clientId !== undefined) headers[TRUSTED_HEADERS.clientId] = exchange.clientId;
    headers['x-forwarded-for'] = exchange.clientIpText;
    headers['x-forwarded-proto'] = 'encrypted' in req.socket ? 'https' : 'http';
    const query = withoutCredentials(exchange.query);
    let body: Buffer | Readable | undefined = exchange.body;
    if (body !== undefined && /x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
      body = Buffer.from(withoutCredentials(body.toString('latin1')), 'latin1');
    }
    if (body !== undefined) headers['content-length'] = String(body.length);
    else if (!exchange.bodyless) {
      // undici sends a body of unknown length chunked, as it came
      const length = req.headers['content-length'];
      if (length !== undefined) headers['content-length'] = length;
      body = streamedBody(exchange, this.limits.bodyLimit);
    }
    const { upstream } = api;
    const options: Dispatcher.DispatchOptions = {
      method: req.method ?? 'GET',
      path: `${upstream.basePath}${exchange.path}${query === '' ? '' : `?${query}`}`,
      headers: headers as Record<string, string>,
      body: body ?? null,
      headersTimeout: this.limits.timeoutMs,
      bodyTimeout: this.limits.timeoutMs,
    };
    const pool = this.poolOf(upstream);
    const replayable = !(body instanceof Readable) && IDEMPOTENT.has(options.method);
    const call: UpstreamCall = new UpstreamCall(
      exchange,
      this.relay,
      replayable ? () => pool.dispatch(options, call) : undefined,
    );
    pool.dispatch(options, call);
    if (!(body instanceof Readable)) req.resume();
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  private poolOf(upstream: Upstream): Pool {
    let pool = this.pools.get(upstream.origin);
    if (pool === undefined) {
      pool = new Pool(upstream.origin);
      this.pools.set(upstream.origin, pool);
    }
    return pool;
  }
}
