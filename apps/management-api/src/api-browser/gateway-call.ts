import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

/** Most of an answer's body the browser is shown (the rest is cut and marked). */
export const MAX_SHOWN_BODY_BYTES = 256 * 1024;

export interface GatewayAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

export type GatewayFailure = 'unreachable' | 'timeout';

/**
 * One HTTP request to the gateway, exactly with the given headers (Host included), no
 * redirects followed, the answer body read up to {@link MAX_SHOWN_BODY_BYTES}.
 */
export function callGateway(
  url: URL,
  method: string,
  headers: readonly (readonly [string, string])[],
  body: string | undefined,
  timeoutMs: number,
): Promise<GatewayAnswer | GatewayFailure> {
  const transport = url.protocol === 'https:' ? https : http;
  const started = performance.now();
  return new Promise((resolve) => {
    const request = transport.request(url, {
      method,
      headers: Object.fromEntries(headers.map(([name, value]) => [name, value])),
      agent: false,
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve('timeout');
    }, timeoutMs);
    request.on('error', () => {
      clearTimeout(timer);
      resolve('unreachable');
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      response.on('data', (chunk: Buffer) => {
        if (size >= MAX_SHOWN_BODY_BYTES) {
          truncated = true;
          return;
        }
        chunks.push(chunk.subarray(0, MAX_SHOWN_BODY_BYTES - size));
        truncated ||= chunk.length > MAX_SHOWN_BODY_BYTES - size;
        size += Math.min(chunk.length, MAX_SHOWN_BODY_BYTES - size);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          truncated,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        });
      });
      response.on('error', () => {
        clearTimeout(timer);
        resolve('unreachable');
      });
    });
    request.end(body);
  });
}
