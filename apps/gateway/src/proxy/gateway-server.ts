import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { type Readiness, statusClass } from '@loyalty-edge/observability';
import type { GatewayConfig } from '../config.js';
import type { RateLimitGate } from '../limits/rate-limit-gate.js';
import {
  INVALID_PATH,
  UNKNOWN_ENDPOINT,
  UNSAFE_PATH,
  type ApiRouter,
  type RoutedApi,
} from '../edge/api-router.js';
import type { KeyAuthenticator } from '../edge/key-authenticator.js';
import type { ClientIpResolver } from '@loyalty-edge/ip-range';
import { IP_DENIED, type IpGuard } from '../edge/ip-guard.js';
import {
  SIGNATURE_REQUIRED,
  signatureRequired,
  type SignatureCheck,
} from '../edge/signature-check.js';
import type { BearerCheck } from '../oauth/bearer-check.js';
import type { Discovery } from '../oauth/discovery.js';
import { TOKEN_PATH, type TokenEndpoint } from '../oauth/token-endpoint.js';
import type { PolicyStore } from '../policies/policy-store.js';
import type { ApiReference } from '../reference/api-reference.js';
import { BodyDeadline } from './body-deadline.js';
import type { ClientIpCounter } from './client-ip-counter.js';
import { Exchange } from './exchange.js';
import type { FailedCallRecorder } from './failed-calls.js';
import { Forwarder } from './forwarder.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { refusal, type Refusal } from './refusal.js';
import type { Replies } from './replies.js';
import { requestLineRefusal } from './request-line.js';
import { UPSTREAM_REFUSALS, type UpstreamFailure } from './upstream-call.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const EMPTY_BODY = Buffer.alloc(0);

export interface GatewayParts {
  readonly config: GatewayConfig;
  readonly router: ApiRouter;
  readonly clientIps: ClientIpResolver;
  readonly authenticator: KeyAuthenticator;
  readonly ipGuard: IpGuard;
  readonly signatures: SignatureCheck;
  readonly store: PolicyStore;
  readonly ipCounter: ClientIpCounter;
  readonly failedCalls: FailedCallRecorder;
  readonly metrics: GatewayMetrics;
  readonly readiness: Readiness;
  readonly replies: Replies;
  readonly bearer: BearerCheck;
  readonly tokenEndpoint: TokenEndpoint;
  readonly discovery: Discovery;
  readonly reference: ApiReference;
  readonly rateLimits: RateLimitGate;
}

/**
 * The data plane: a plain Node HTTP server (no framework on the hot path). Order per request:
 * route to an API → identify the workspace → (policies) → forward, with every answer of 400 or
 * more recorded in the failed-call log. The routed API decides, once, how its callers
 * authenticate: api keys and signatures, Bearer tokens, or the token endpoint itself.
 */
export class GatewayServer {
  private readonly logger = new Logger('Gateway');
  private server: Server | undefined;

  private readonly forwarder: Forwarder;
  private readonly bodyDeadline: BodyDeadline;
  private readonly tooLarge: Refusal;

  constructor(private readonly parts: GatewayParts) {
    const { proxy } = parts.config;
    this.tooLarge = refusal({
      status: 413,
      code: GatewayErrorCodes.payloadTooLarge,
      message: `Request body larger than ${proxy.bodyLimit} bytes`,
      decision: 'too_large',
      reason: 'body_too_large',
    });
    this.forwarder = new Forwarder(
      { timeoutMs: proxy.upstreamTimeoutMs, bodyLimit: proxy.bodyLimit },
      {
        captureBytes: parts.config.capture.bodyBytes,
        failedCalls: parts.failedCalls,
        failed: (exchange, failure) => this.upstreamFailed(exchange, failure),
      },
    );
    this.bodyDeadline = new BodyDeadline(proxy.bodyTimeoutMs, parts.replies, parts.failedCalls);
  }

  async listen(): Promise<string> {
    const { host, port } = this.parts.config.proxy;
    const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) =>
      this.handle(req, res),
    );
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const address = server.address();
    return typeof address === 'object' && address
      ? `http://${host}:${address.port}`
      : `http://${host}:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.forwarder.close();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const { parts } = this;
    const incomingId = req.headers['x-request-id'];
    const requestId =
      typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const clientIp = parts.clientIps.resolve(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'],
    );
    const exchange = new Exchange(req, res, requestId, clientIp, parts.config.capture.bodyBytes);
    res.on('finish', () => this.observe(exchange));
    this.bodyDeadline.watch(exchange);
    const malformed = requestLineRefusal(req, exchange.path);
    if (malformed) {
      void parts.replies.refuse(exchange, malformed);
      return;
    }

    if (exchange.path === '/healthz' || exchange.path === '/readyz') {
      void this.health(exchange);
      return;
    }
    const api = parts.router.routeSafely(exchange.path);
    if (api === UNSAFE_PATH) {
      void parts.replies.refuse(exchange, INVALID_PATH);
      return;
    }
    if (!api) {
      // the OAuth2 discovery documents and the API reference are no catalog API: public
      if (parts.discovery.serves(exchange.path)) void parts.discovery.answer(exchange);
      else if (parts.reference.serves(exchange.path)) void parts.reference.answer(exchange);
      else void parts.replies.refuse(exchange, UNKNOWN_ENDPOINT);
      return;
    }
    exchange.api = api.id;
    const { access } = api;
    if (access.kind === 'token-endpoint') {
      // answered here, never forwarded; the endpoint reads (and limits) its own body
      void (exchange.path === TOKEN_PATH
        ? parts.tokenEndpoint.handle(exchange)
        : parts.replies.refuse(exchange, UNKNOWN_ENDPOINT));
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > parts.config.proxy.bodyLimit) {
      void parts.replies.refuse(exchange, this.tooLarge);
      return;
    }
    if (access.kind === 'bearer') {
      const outcome = parts.bearer.check(exchange, api.id, access.scope);
      if (outcome instanceof Promise) {
        void outcome.then((refusal) => this.forwardUnless(exchange, api, refusal));
      } else {
        this.forwardUnless(exchange, api, outcome);
      }
    } else if (parts.authenticator.needsBody(exchange)) {
      if (exchange.bodyless) {
        // nothing to wait for (a presigned GET): its body is empty, checked at once
        exchange.body = EMPTY_BODY;
        this.admit(exchange, api);
        return;
      }
      void parts.replies.readBody(exchange).then((ok) => {
        if (ok) this.admit(exchange, api);
        else void parts.replies.refuse(exchange, this.tooLarge);
      });
    } else {
      this.admit(exchange, api);
    }
  }

  /** Identify → IP filter → signature (or enforcement for plain keys) → forward. */
  private admit(exchange: Exchange, api: RoutedApi): void {
    const { parts } = this;
    const identity = parts.authenticator.identify(exchange);
    if (!identity.ok) {
      void parts.replies.refuse(exchange, identity);
      return;
    }
    exchange.workspaceId = identity.workspaceId;
    exchange.authMethod = identity.method;
    exchange.apiKey = identity.apiKey;
    // counted once authenticated (a signature only after it is checked), so a caller that only
    // knows an api key cannot skew the IP filter preview of a workspace that requires signatures
    if (identity.signature === undefined) this.countClient(exchange, api);
    if (!parts.ipGuard.allows(identity.workspaceId, api.id, exchange.clientIp)) {
      void parts.replies.refuse(exchange, IP_DENIED);
      return;
    }
    if (identity.signature === undefined) {
      if (
        signatureRequired(
          parts.store,
          parts.config.escher.requireSignature,
          identity.workspaceId,
          api.id,
        )
      ) {
        void parts.replies.refuse(exchange, SIGNATURE_REQUIRED);
        return;
      }
      this.forward(exchange, api);
      return;
    }
    const outcome = parts.signatures.check(identity.apiKey, identity.signature, exchange);
    if (outcome instanceof Promise) {
      void outcome.then((refusal) => this.forwardSigned(exchange, api, refusal));
    } else {
      this.forwardSigned(exchange, api, outcome);
    }
  }

  private forwardSigned(exchange: Exchange, api: RoutedApi, refused: Refusal | undefined): void {
    if (refused) {
      void this.parts.replies.refuse(exchange, refused);
      return;
    }
    this.countClient(exchange, api);
    this.forward(exchange, api);
  }

  private forwardUnless(exchange: Exchange, api: RoutedApi, refused: Refusal | undefined): void {
    if (refused) void this.parts.replies.refuse(exchange, refused);
    else this.forward(exchange, api);
  }

  private countClient(exchange: Exchange, api: RoutedApi): void {
    if (exchange.workspaceId !== undefined) {
      this.parts.ipCounter.count(exchange.workspaceId, api.id, exchange.clientIpText);
    }
  }

  private forward(exchange: Exchange, api: RoutedApi): void {
    // the last check: only authenticated requests every policy admitted spend the budget
    if (!this.parts.rateLimits.admit(exchange)) return;
    this.forwarder.forward(exchange, api);
  }

  private upstreamFailed(exchange: Exchange, failure: UpstreamFailure): void {
    // already answered (a body timeout aborts the upstream request after its 408)
    if (exchange.res.writableEnded) return;
    if (exchange.res.headersSent) {
      exchange.res.destroy();
      return;
    }
    if (failure === 'too_large') {
      void this.parts.replies.refuse(exchange, this.tooLarge);
      return;
    }
    void this.parts.replies.refuse(exchange, UPSTREAM_REFUSALS[failure]);
  }

  private async health(exchange: Exchange): Promise<void> {
    const { ready, checks } =
      exchange.path === '/healthz'
        ? { ready: true, checks: {} }
        : await this.parts.readiness.evaluate();
    const body = JSON.stringify(
      exchange.path === '/healthz'
        ? { status: 'ok' }
        : { status: ready ? 'ready' : 'not_ready', checks },
    );
    exchange.res
      .writeHead(ready ? 200 : 503, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'x-request-id': exchange.requestId,
      })
      .end(body);
  }

  private observe(exchange: Exchange): void {
    if (exchange.api === undefined && exchange.decision === 'allowed') return;
    const api = exchange.api ?? 'none';
    const { decision } = exchange;
    this.parts.metrics.record(
      api,
      statusClass(exchange.res.statusCode),
      decision,
      exchange.elapsedMs / 1000,
    );
    if (exchange.res.statusCode >= 500) {
      this.logger.warn({
        msg: 'request failed',
        api,
        decision,
        status: exchange.res.statusCode,
        requestId: exchange.requestId,
      });
    }
  }
}
