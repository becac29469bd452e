import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { TRUSTED_HEADERS } from '@loyalty-edge/loyalty-contracts';
import type { RoutedApi } from '../edge/api-router.js';
import type { Exchange } from './exchange.js';
import { upstreamRequestHeaders, withoutCredentials } from './headers.js';

/** Why a forward failed: the upstream's fault, or a streamed body over the limit. */
export type UpstreamFailure = 'timeout' | 'unreachable' | 'too_large';

const agents = {
  http: new http.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' }),
  https: new https.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' }),
};

/** Methods a client may expect to be sent twice without harm (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Sends an admitted request to its API's upstream: method, path and query kept (credentials
 * removed), end-to-end headers kept, the gateway's trusted headers added, the body streamed
 * (or sent from memory when it was read for authentication).
 *
 * A kept-alive connection the upstream closed just as it was reused (an upstream restarting,
 * or closing idle connections) fails before any answer. An idempotent request whose body is
 * not being streamed is then sent once more on a new connection, as nginx's
 * `proxy_next_upstream error` does; any other is answered 502.
 */
export function forward(
  exchange: Exchange,
  api: RoutedApi,
  limits: { readonly timeoutMs: number; readonly bodyLimit: number },
  onResponse: (response: IncomingMessage) => void,
  onFailure: (failure: UpstreamFailure) => void,
): void {
  const { req } = exchange;
  const headers = upstreamRequestHeaders(req.headers);
  headers[TRUSTED_HEADERS.workspaceId] = exchange.workspaceId;
  headers[TRUSTED_HEADERS.authMethod] = exchange.authMethod;
  headers[TRUSTED_HEADERS.requestId] = exchange.requestId;
  if (exchange.clientId !== undefined) headers[TRUSTED_HEADERS.clientId] = exchange.clientId;
  headers['x-forwarded-for'] = exchange.clientIpText;
  headers['x-forwarded-proto'] = 'encrypted' in req.socket ? 'https' : 'http';
  const query = withoutCredentials(exchange.query);
  let body = exchange.body;
  if (body !== undefined && /x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
    body = Buffer.from(withoutCredentials(body.toString('latin1')), 'latin1');
  }
  if (body !== undefined) headers['content-length'] = body.length;
  else if (req.headers['content-length'] !== undefined)
    headers['content-length'] = req.headers['content-length'];
  else if (req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked';

  const { upstream } = api;
  const streamed =
    body === undefined &&
    (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined);
  const replayable = !streamed && IDEMPOTENT.has(req.method ?? '');
  const send = (retried: boolean): { request: http.ClientRequest; fail: typeof onFailure } => {
    const request = (upstream.https ? https : http).request({
      hostname: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: `${upstream.basePath}${exchange.path}${query === '' ? '' : `?${query}`}`,
      headers,
      agent: upstream.https ? agents.https : agents.http,
      timeout: limits.timeoutMs,
    });
    exchange.upstream = request;
    let failed = false;
    const fail = (failure: UpstreamFailure): void => {
      if (failed) return;
      failed = true;
      request.destroy();
      onFailure(failure);
    };
    request.on('timeout', () => fail('timeout'));
    request.on('error', () => {
      if (!retried && !failed && replayable && request.reusedSocket) {
        failed = true;
        send(true);
      } else fail('unreachable');
    });
    request.on('response', onResponse);
    if (!streamed) request.end(body);
    return { request, fail };
  };
  const { request: upstreamReq, fail } = send(false);
  if (!streamed) {
    req.resume();
    return;
  }
  // a chunked body declares no length: count it as it streams and stop at the limit
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limits.bodyLimit) {
      req.unpipe(upstreamReq);
      req.pause();
      fail('too_large');
      return;
    }
    exchange.requestBody.add(chunk);
  });
  req.pipe(upstreamReq);
}
