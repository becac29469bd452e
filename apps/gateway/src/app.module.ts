import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventPublisher, NatsLink, RpcClient } from '@loyalty-edge/nats';
import { EscherVerifier, antavoParams } from '@loyalty-edge/escher';
import { Metrics, Readiness } from '@loyalty-edge/observability';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { ServiceSpec } from '@loyalty-edge/runtime';
import type { GatewayConfig } from './config.js';
import { ApiRouter } from './edge/api-router.js';
import { KeyAuthenticator } from './edge/key-authenticator.js';
import { DerivedKeyCache } from './edge/derived-keys.js';
import { ReplayGuard, SignatureCheck } from './edge/signature-check.js';
import { ClientIpResolver } from '@loyalty-edge/ip-range';
import { IpGuard } from './edge/ip-guard.js';
import { RateLimits } from './limits/rate-limits.js';
import { PolicyStore } from './policies/policy-store.js';
import { ClientIpCounter } from './proxy/client-ip-counter.js';
import { FailedCallRecorder } from './proxy/failed-calls.js';
import { GatewayMetrics } from './proxy/gateway-metrics.js';
import { GatewayServer } from './proxy/gateway-server.js';
import { Replies } from './proxy/replies.js';
import { BearerCheck } from './oauth/bearer-check.js';
import { Discovery } from './oauth/discovery.js';
import { JwksRefresher } from './oauth/jwks-refresher.js';
import { TokenEndpoint } from './oauth/token-endpoint.js';
import { TokenLog } from './oauth/token-log.js';
import { ApiReference } from './reference/api-reference.js';

const CONFIG = Symbol('GatewayConfig');

/** Syncs the policies, then opens the data-plane port; closes it first on shutdown. */
@Injectable()
class DataPlane implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: GatewayServer | undefined;
  private publisher: EventPublisher | undefined;
  private ipCounter: ClientIpCounter | undefined;
  private tokenLog: TokenLog | undefined;
  private rateLimits: RateLimits | undefined;
  url = '';

  constructor(
    @Inject(CONFIG) private readonly config: GatewayConfig,
    private readonly store: PolicyStore,
    private readonly link: NatsLink,
    private readonly rpc: RpcClient,
    private readonly metrics: Metrics,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.start();
    this.metrics.gauge(
      'nats_connected',
      '1 while the NATS link is up (policies keep applying without it)',
      [],
      (gauge) => {
        gauge.set(this.link.connected ? 1 : 0);
      },
    );
    const metrics = new GatewayMetrics(this.metrics);
    this.publisher = new EventPublisher(this.link, {
      capacity: this.config.capture.bufferSize,
      concurrency: 64,
      onDrop: (events) => metrics.auditDropped.inc(events),
    });
    this.ipCounter = new ClientIpCounter(
      this.publisher,
      this.config.capture.clientIpFlushSeconds * 1000,
    );
    this.tokenLog = new TokenLog(this.publisher);
    const { escher } = this.config;
    const verifier = new EscherVerifier({
      ...antavoParams('eu'),
      credentialScope: escher.credentialScope,
      clockSkew: escher.clockSkewSeconds,
    });
    const keys = new DerivedKeyCache(this.rpc, escher.clockSkewSeconds * 1000);
    this.store.onChange((bucket, key) => {
      if (bucket === KV_BUCKETS.apiKeys) keys.evict(key);
    });
    const replay = escher.replayProtection
      ? await ReplayGuard.open(this.link, escher.clockSkewSeconds)
      : undefined;
    const ipGuard = new IpGuard(this.store);
    const failedCalls = new FailedCallRecorder(this.publisher);
    const replies = new Replies(
      failedCalls,
      this.config.capture.bodyBytes,
      this.config.proxy.bodyLimit,
    );
    this.rateLimits = await RateLimits.start({
      config: this.config.rateLimit,
      link: this.link,
      store: this.store,
      metrics: this.metrics,
      replies,
    });
    this.server = new GatewayServer({
      config: this.config,
      router: new ApiRouter(this.config.upstreams),
      clientIps: new ClientIpResolver(this.config.proxy.trustedProxies),
      authenticator: new KeyAuthenticator(this.store, verifier),
      signatures: new SignatureCheck(verifier, keys, replay, {
        hosts: this.config.proxy.hosts,
        maxExpiresSeconds: escher.maxExpiresSeconds,
      }),
      store: this.store,
      ipGuard,
      ipCounter: this.ipCounter,
      failedCalls,
      metrics,
      readiness: this.readiness,
      replies,
      bearer: new BearerCheck(
        this.store,
        ipGuard,
        this.ipCounter,
        new JwksRefresher(this.rpc, this.store.tokenKeys),
      ),
      tokenEndpoint: new TokenEndpoint({
        store: this.store,
        ipGuard,
        ipCounter: this.ipCounter,
        rpc: this.rpc,
        tokenLog: this.tokenLog,
        replies,
        metrics,
      }),
      discovery: new Discovery(this.store.tokenKeys, replies),
      reference: new ApiReference(replies),
      rateLimits: this.rateLimits.gate,
    });
    this.url = await this.server.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.rateLimits?.stop();
    this.ipCounter?.stop();
    this.tokenLog?.flush();
    await this.publisher?.close();
  }
}

@Module({})
class GatewayModule {
  static withConfig(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      providers: [{ provide: CONFIG, useValue: config }, PolicyStore, DataPlane],
      exports: [DataPlane],
    };
  }
}

/** The gateway: data plane on GATEWAY_PORT; health and metrics on PORT. */
export function gatewayApp(config: GatewayConfig): ServiceSpec {
  return {
    config: config.common,
    imports: [GatewayModule.withConfig(config)],
    // policies are in memory: a NATS outage must not take every gateway out of service
    readyWithoutNats: true,
  };
}

export { DataPlane };
