import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { GatewayErrorCodes, type GatewayDecision } from '@loyalty-edge/gateway-contracts';
import { type Readiness, statusClass } from '@loyalty-edge/observability';
import type { GatewayConfig } from '../config.js';
import { isSafePath, type ApiRouter, type RoutedApi } from '../edge/api-router.js';
import type { Authenticator, Refusal } from '../edge/authenticator.js';
import type { ClientIpResolver } from '@loyalty-edge/ip-range';
import type { IpGuard } from '../edge/ip-guard.js';
import { signatureRequired, type SignatureCheck } from '../edge/signature-check.js';
import type { PolicyStore } from '../policies/policy-store.js';
import { BodyCapture } from './body-capture.js';
import type { ClientIpCounter } from './client-ip-counter.js';
import { Exchange } from './exchange.js';
import type { FailedCallRecorder } from './failed-calls.js';
import { forward, type UpstreamFailure } from './forwarder.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { clientResponseHeaders } from './headers.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface GatewayParts {
  readonly config: GatewayConfig;
  readonly router: ApiRouter;
  readonly clientIps: ClientIpResolver;
  readonly authenticator: Authenticator;
  readonly ipGuard: IpGuard;
  readonly signatures: SignatureCheck;
  readonly store: PolicyStore;
  readonly ipCounter: ClientIpCounter;
  readonly failedCalls: FailedCallRecorder;
  readonly metrics: GatewayMetrics;
  readonly readiness: Readiness;
}

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly code: number;
  readonly message: string;
  readonly decision: GatewayDecision;
  readonly reason: string;
}

/**
 * The data plane: a plain Node HTTP server (no framework on the hot path). Order per request:
 * route to an API → identify the workspace → (policies) → forward, with every answer of 400 or
 * more recorded in the failed-call log.
 */
export class GatewayServer {
  private readonly logger = new Logger('Gateway');
  private server: Server | undefined;

  /** Upstream timeout and body limit, as every forward needs them. */
  private readonly limits: { readonly timeoutMs: number; readonly bodyLimit: number };

  constructor(private readonly parts: GatewayParts) {
    const { proxy } = parts.config;
    this.limits = { timeoutMs: proxy.upstreamTimeoutMs, bodyLimit: proxy.bodyLimit };
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

    if (exchange.path === '/healthz' || exchange.path === '/readyz') {
      void this.health(exchange);
      return;
    }
    if (!isSafePath(exchange.path)) {
      void this.refuse(exchange, {
        status: 400,
        type: 'BadRequestException',
        code: GatewayErrorCodes.invalidPath,
        message: 'Invalid request path',
        decision: 'unknown_endpoint',
        reason: 'unsafe_path',
      });
      return;
    }
    const api = parts.router.route(exchange.path);
    if (!api) {
      void this.refuse(exchange, {
        status: 404,
        type: 'NotFoundException',
        code: GatewayErrorCodes.unknownEndpoint,
        message: 'Unknown endpoint',
        decision: 'unknown_endpoint',
        reason: 'unknown_endpoint',
      });
      return;
    }
    exchange.api = api.id;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > parts.config.proxy.bodyLimit) {
      void this.refuse(exchange, this.tooLarge());
      return;
    }
    if (parts.authenticator.needsBody(exchange)) {
      void this.readBody(exchange).then((ok) => {
        if (ok) this.admit(exchange, api);
        else void this.refuse(exchange, this.tooLarge());
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
      void this.refuse(exchange, { status: 401, type: 'UnauthorizedException', ...identity });
      return;
    }
    exchange.workspaceId = identity.workspaceId;
    exchange.authMethod = identity.method;
    // counted once authenticated (a signature only after it is checked), so a caller that only
    // knows an api key cannot skew the IP filter preview of a workspace that requires signatures
    if (identity.signature === undefined) this.countClient(exchange, api);
    if (!parts.ipGuard.allows(identity.workspaceId, api.id, exchange.clientIp)) {
      void this.refuse(exchange, {
        status: 403,
        type: 'ForbiddenException',
        code: GatewayErrorCodes.ipNotAllowed,
        message: 'Access from this IP address is not allowed',
        decision: 'ip_denied',
        reason: 'ip_not_in_allow_list',
      });
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
        void this.refuse(exchange, {
          status: 401,
          type: 'UnauthorizedException',
          code: GatewayErrorCodes.signatureRequired,
          message: 'This API requires a signed request',
          decision: 'signature_required',
          reason: 'signature_required',
        });
        return;
      }
      this.forward(exchange, api);
      return;
    }
    const outcome = parts.signatures.check(identity.apiKey, identity.signature);
    if (outcome instanceof Promise) {
      void outcome.then((refusal) => this.forwardUnless(exchange, api, refusal));
    } else {
      this.forwardUnless(exchange, api, outcome);
    }
  }

  private forwardUnless(exchange: Exchange, api: RoutedApi, refusal: Refusal | undefined): void {
    if (refusal) {
      void this.refuse(exchange, { status: 401, type: 'UnauthorizedException', ...refusal });
      return;
    }
    this.countClient(exchange, api);
    this.forward(exchange, api);
  }

  private countClient(exchange: Exchange, api: RoutedApi): void {
    if (exchange.workspaceId !== undefined) {
      this.parts.ipCounter.count(exchange.workspaceId, api.id, exchange.clientIpText);
    }
  }

  private forward(exchange: Exchange, api: RoutedApi): void {
    forward(
      exchange,
      api,
      this.limits,
      (response) => this.relay(exchange, response),
      (failure) => this.upstreamFailed(exchange, failure),
    );
  }

  private relay(exchange: Exchange, response: IncomingMessage): void {
    const { res } = exchange;
    const status = response.statusCode ?? 502;
    const headers = clientResponseHeaders(response.headers);
    headers['x-request-id'] = exchange.requestId;
    res.writeHead(status, headers);
    if (status >= 400) {
      exchange.decision = 'upstream_error';
      exchange.reason = 'upstream';
      const capture = new BodyCapture(this.parts.config.capture.bodyBytes);
      exchange.responseBody = capture;
      response.on('data', (chunk: Buffer) => capture.add(chunk));
      response.on('end', () => this.parts.failedCalls.record(exchange, status, headers));
    }
    response.pipe(res);
    response.on('error', () => res.destroy());
  }

  private upstreamFailed(exchange: Exchange, failure: UpstreamFailure): void {
    if (exchange.res.headersSent) {
      exchange.res.destroy();
      return;
    }
    if (failure === 'too_large') {
      void this.refuse(exchange, this.tooLarge());
      return;
    }
    const timeout = failure === 'timeout';
    void this.refuse(exchange, {
      status: timeout ? 504 : 502,
      type: timeout ? 'GatewayTimeoutException' : 'BadGatewayException',
      code: timeout ? GatewayErrorCodes.gatewayTimeout : GatewayErrorCodes.badGateway,
      message: timeout
        ? 'The upstream service did not answer in time'
        : 'The upstream service is unavailable',
      decision: timeout ? 'upstream_timeout' : 'upstream_unreachable',
      reason: timeout ? 'upstream_timeout' : 'upstream_unreachable',
    });
  }

  /** Answers in the error envelope, after reading the body so the failed-call log has it. */
  private async refuse(exchange: Exchange, refusal: Answer): Promise<void> {
    exchange.decision = refusal.decision;
    exchange.reason = refusal.reason;
    // a body left unread (too large, or refused over the limit) cannot keep the connection alive
    const drained =
      exchange.req.complete ||
      (refusal.decision !== 'too_large' && (await this.readBody(exchange)));
    const body = JSON.stringify({
      error: { type: refusal.type, code: refusal.code, message: refusal.message },
    });
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'x-request-id': exchange.requestId,
      ...(drained ? {} : { connection: 'close' }),
    };
    exchange.responseBody = new BodyCapture(this.parts.config.capture.bodyBytes);
    exchange.responseBody.add(Buffer.from(body));
    exchange.res.writeHead(refusal.status, headers).end(body);
    this.parts.failedCalls.record(exchange, refusal.status, headers);
  }

  /** Reads the whole body into memory up to the limit; false when it is larger. */
  private readBody(exchange: Exchange): Promise<boolean> {
    const { req } = exchange;
    const limit = this.parts.config.proxy.bodyLimit;
    return new Promise((resolve) => {
      if (req.complete) {
        resolve(true);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > limit) {
          req.off('data', onData);
          req.pause();
          resolve(false);
          return;
        }
        chunks.push(chunk);
        exchange.requestBody.add(chunk);
      };
      req.on('data', onData);
      req.once('end', () => {
        exchange.body = Buffer.concat(chunks, size);
        resolve(true);
      });
      req.once('error', () => resolve(false));
    });
  }

  private tooLarge(): Answer {
    return {
      status: 413,
      type: 'PayloadTooLargeException',
      code: GatewayErrorCodes.payloadTooLarge,
      message: `Request body larger than ${this.parts.config.proxy.bodyLimit} bytes`,
      decision: 'too_large',
      reason: 'body_too_large',
    };
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
