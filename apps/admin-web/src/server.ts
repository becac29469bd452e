import { createServer, type Server, type ServerResponse } from 'node:http';
import { envelopeForStatus } from '@loyalty-edge/errors';
import type { JsonLogger } from '@loyalty-edge/observability';
import { createApiProxy } from './api-proxy.js';
import type { AdminWebConfig } from './config.js';
import { SECURITY_HEADERS, StaticFiles } from './static-files.js';

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response
    .writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': 'application/json',
      'cache-control': 'no-store',
    })
    .end(JSON.stringify(body));
}

/** The path of a request target, without its query (which may hold filters, never logged). */
function pathOf(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://admin-web').pathname);
  } catch {
    return undefined;
  }
}

/** An invitation link's token is a credential: the page and its API calls log it as `[token]`. */
const INVITATION_TOKEN = /^(\/(?:api\/)?invitations\/)[^/]+/;

function loggedPath(path: string | undefined): string | undefined {
  return path?.replace(INVITATION_TOKEN, '$1[token]');
}

/** Ready when the SPA is built and the management API's own /readyz answers 200. */
async function isReady(files: StaticFiles, managementApiUrl: string): Promise<boolean> {
  if (!files.ready) return false;
  try {
    const answer = await fetch(`${managementApiUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
    await answer.body?.cancel();
    return answer.status === 200;
  } catch {
    return false;
  }
}

/**
 * The admin web server: the built SPA from `publicDir`, `/api/*` forwarded to the management
 * API, `/healthz` and `/readyz`. One JSON log line per request: method, path, status, time;
 * never headers, cookies or query strings.
 */
export function createAdminWebServer(
  config: AdminWebConfig,
  logger: JsonLogger,
  publicDir: string,
): Server {
  const files = new StaticFiles(publicDir);
  if (!files.ready) logger.error({ msg: 'the web app is not built: no index.html', publicDir });
  const proxy = createApiProxy(
    config.managementApiUrl,
    config.proxyTimeoutMs,
    config.trustedProxies,
  );

  return createServer((request, response) => {
    const started = performance.now();
    const path = pathOf(request.url);
    response.on('close', () => {
      const entry = {
        msg: 'request',
        method: request.method,
        path: loggedPath(path),
        status: response.statusCode,
        durationMs: Math.round(performance.now() - started),
        ...(response.writableFinished ? {} : { aborted: true }),
      };
      if (path === '/healthz' || path === '/readyz') logger.debug(entry);
      else logger.log(entry);
    });

    if (path === undefined) {
      sendJson(response, 400, envelopeForStatus(400, 'Bad path'));
    } else if (path === '/api' || path.startsWith('/api/')) {
      proxy(request, response);
    } else if (path === '/healthz') {
      sendJson(response, 200, { status: 'ok' });
    } else if (path === '/readyz') {
      void isReady(files, config.managementApiUrl).then((ready) =>
        sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' }),
      );
    } else {
      files.serve(request, response, path);
    }
  });
}
