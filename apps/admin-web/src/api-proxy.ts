import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { endToEndHeaders } from '@loyalty-edge/http';

function fail(response: ServerResponse, status: 502 | 504, message: string): void {
  if (response.writableEnded) return;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const type = status === 502 ? 'BadGatewayException' : 'GatewayTimeoutException';
  const code = status === 502 ? ErrorCodes.badGateway : ErrorCodes.gatewayTimeout;
  response
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify({ error: { type, code, message } }));
}

export type ApiProxy = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Forwards `/api/*` to the management API as a stream, with method, path, query, headers and
 * cookies unchanged (the browser sees one origin, so the SameSite=Strict session cookie and
 * every Set-Cookie pass through). Appends the peer to X-Forwarded-For; the management API
 * believes it only when this server's address is in its TRUSTED_PROXIES.
 */
export function createApiProxy(target: string, timeoutMs: number): ApiProxy {
  const base = new URL(target);
  const secure = base.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const prefix = base.pathname.replace(/\/+$/, '');

  return (request, response) => {
    const headers = endToEndHeaders(request.headers);
    const peer = request.socket.remoteAddress ?? 'unknown';
    const forwarded = request.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = [forwarded ?? [], peer].flat().join(', ');
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
