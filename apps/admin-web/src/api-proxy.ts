import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream';
import { envelopeForStatus } from '@loyalty-edge/errors';
import { endToEndHeaders } from '@loyalty-edge/http';
import { ClientIpResolver } from '@loyalty-edge/ip-range';

/** Client-address headers a browser could forge: never forwarded as sent. */
const CLIENT_ADDRESS_HEADERS: ReadonlySet<string> = new Set([
  'x-forwarded-for',
  'forwarded',
  'x-real-ip',
]);

function fail(response: ServerResponse, status: 502 | 504, message: string): void {
  if (response.writableEnded) return;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(envelopeForStatus(status, message)));
}

export type ApiProxy = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Forwards `/api/*` to the management API as a stream, with method, path, query, headers and
 * cookies unchanged (the browser sees one origin, so the SameSite=Strict session cookie and
 * every Set-Cookie pass through). X-Forwarded-For is replaced by the one address this server
 * saw: the socket peer, or, only when the peer is one of its own `trustedProxies` (the ingress),
 * the client that proxy names. Client-sent Forwarded and X-Real-IP are dropped. The management
 * API believes the header only from this server (its TRUSTED_PROXIES), so a browser cannot pick
 * the address its logins are throttled under.
 */
export function createApiProxy(
  target: string,
  timeoutMs: number,
  trustedProxies: readonly string[] = [],
): ApiProxy {
  const clientIp = new ClientIpResolver(trustedProxies);
  const base = new URL(target);
  const secure = base.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const prefix = base.pathname.replace(/\/+$/, '');

  return (request, response) => {
    const headers = endToEndHeaders(request.headers, CLIENT_ADDRESS_HEADERS);
    const peer = request.socket.remoteAddress;
    const client = clientIp.resolve(peer, request.headers['x-forwarded-for'])?.text;
    headers['x-forwarded-for'] = client ?? peer ?? 'unknown';
    headers.host = base.host;

    const upstream = send({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      method: request.method,
      path: `${prefix}${request.url ?? '/'}`,
      headers,
      agent,
      timeout: timeoutMs,
    });
    upstream.on('timeout', () => {
      upstream.destroy();
      fail(response, 504, 'The management API did not answer in time');
    });
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, endToEndHeaders(answer.headers));
      pipeline(answer, response, () => undefined);
    });
    upstream.on('error', () => {
      fail(response, 502, 'The management API is unavailable');
    });
    request.pipe(upstream);
    // a client that goes away mid-request aborts the forwarded call too
    request.on('error', () => upstream.destroy());
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
  };
}
