import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientAddress } from '@loyalty-edge/ip-range';
import type { ApiId } from '@loyalty-edge/contracts';
import type { GatewayDecision } from '@loyalty-edge/gateway-contracts';
import type { Quota } from '../limits/rate-counter.js';
import { BodyCapture } from './body-capture.js';
import type { UpstreamCall } from './upstream-call.js';

export type AuthMethod = 'api_key' | 'signature' | 'bearer';

/** One request's state as it moves through the gateway. */
export class Exchange {
  readonly started = performance.now();
  readonly path: string;
  /** The raw query string without the `?`, or ''. */
  readonly query: string;
  private captured: BodyCapture | undefined;
  responseBody: BodyCapture | undefined;
  api: ApiId | undefined;
  workspaceId: string | undefined;
  authMethod: AuthMethod | undefined;
  /** The OAuth2 client of a Bearer request. */
  clientId: string | undefined;
  /** The API key of an `api_key` or Escher request, once identified. */
  apiKey: string | undefined;
  /** The rate-limit quota of an admitted request, for its RateLimit-* headers. */
  quota: Quota | undefined;
  decision: GatewayDecision = 'allowed';
  /** The precise reason of a refusal, for the failed-call log (never shown to the caller). */
  reason = '';
  /** Whether the request carries an Escher signature (header or presigned URL); set once. */
  signed: boolean | undefined;
  /** Set when the whole body was read before forwarding (form api_key, signatures). */
  body: Buffer | undefined;
  /** The call to the upstream once forwarded (aborted when the body times out). */
  upstream: UpstreamCall | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
    readonly clientIp: ClientAddress | undefined,
    captureBytes: number,
  ) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q === -1 ? url : url.slice(0, q);
    this.query = q === -1 ? '' : url.slice(q + 1);
    this.captureBytes = captureBytes;
  }

  private readonly captureBytes: number;

  /** The first bytes of the request body, kept for the failed-call log (made on first use). */
  get requestBody(): BodyCapture {
    this.captured ??= new BodyCapture(this.captureBytes);
    return this.captured;
  }

  /**
   * Whether the request has no body at all: neither a length (other than 0) nor a transfer
   * coding. Node's parser reads such a request as complete with its headers, so its body is
   * known without waiting for the stream to end.
   */
  get bodyless(): boolean {
    const { headers } = this.req;
    const length = headers['content-length'];
    return (length === undefined || length === '0') && headers['transfer-encoding'] === undefined;
  }

  get clientIpText(): string {
    return this.clientIp?.text ?? 'unknown';
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }
}
