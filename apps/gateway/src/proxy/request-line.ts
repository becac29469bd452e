import type { IncomingMessage } from 'node:http';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { refusal, type Refusal } from './refusal.js';

const UNSUPPORTED_VERSION: Refusal = refusal({
  status: 400,
  code: ErrorCodes.byStatus(400),
  message: 'Unsupported HTTP version',
  decision: 'unknown_endpoint',
  reason: 'unsupported_http_version',
  headers: { connection: 'close' },
});

const INVALID_TARGET: Refusal = refusal({
  status: 400,
  code: GatewayErrorCodes.invalidPath,
  message: 'Invalid request path',
  decision: 'unknown_endpoint',
  reason: 'invalid_request_target',
});

const DUPLICATE_HOST: Refusal = refusal({
  status: 400,
  code: ErrorCodes.byStatus(400),
  message: 'Invalid Host header',
  decision: 'unknown_endpoint',
  reason: 'duplicate_host',
  headers: { connection: 'close' },
});

/**
 * Request lines and Host headers that could make the gateway and an upstream disagree, which
 * node's parser lets through: HTTP/0.9 (`GET /path` without a version) and versions other than
 * 1.x, a target that is no path (absolute-form `GET http://host/path`, asterisk-form
 * `OPTIONS *`), and a second `Host` header or a list of hosts (node keeps the first; a signature
 * check and another server could each read a different one). What node refuses itself (control
 * bytes in a header, bytes over 0x7f in the target, bare LF line ends, headers over 16 KiB) and
 * CONNECT never reach the gateway: docs/security.md. A handful of comparisons per request.
 */
export function requestLineRefusal(req: IncomingMessage, path: string): Refusal | undefined {
  if (req.httpVersionMajor !== 1) return UNSUPPORTED_VERSION;
  if (path.charCodeAt(0) !== 47 /* / */) return INVALID_TARGET;
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length === 4 && name.toLowerCase() === 'host' && ++hosts > 1) return DUPLICATE_HOST;
  }
  return req.headers.host?.includes(',') === true ? DUPLICATE_HOST : undefined;
}
