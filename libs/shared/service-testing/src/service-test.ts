import type { CommonConfig } from '@loyalty-edge/config';
import { NatsLink, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService, type ServiceSpec } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';

/**
 * One service under test, as its integration tests set it up: its own prefix (schemas, subjects,
 * streams, buckets), the live PostgreSQL and NATS, a NATS link and an RPC client of the test's
 * own, and any number of replicas; `close()` stops them all and drops what the prefix made.
 *
 *   const test = new ServiceTest(loadConfig, credentialsApp, { CREDENTIALS_KEK: '...' });
 *   beforeAll(() => test.open());
 *   afterAll(() => test.close());
 */
export class ServiceTest<Config extends { readonly common: CommonConfig }> {
  readonly prefix = uniquePrefix();
  readonly env: Record<string, string>;
  private linkOpened?: NatsLink;
  private rpcClient?: RpcClient;
  private readonly replicas: RunningService[] = [];

  constructor(
    private readonly load: (env: Record<string, string>) => Config,
    private readonly app: (config: Config) => ServiceSpec,
    overrides: Record<string, string> = {},
  ) {
    this.env = serviceEnv(this.prefix, overrides);
  }

  /** The validated configuration the service runs with. */
  get config(): Config {
    return this.load(this.env);
  }

  /** The test's own connection (to stand in for other services, read buckets, publish). */
  get link(): NatsLink {
    if (this.linkOpened === undefined) throw new Error('call connect() or open() first');
    return this.linkOpened;
  }

  get rpc(): RpcClient {
    this.rpcClient ??= new RpcClient(this.link);
    return this.rpcClient;
  }

  /** The first replica started (and not stopped). */
  get service(): RunningService {
    const first = this.replicas[0];
    if (first === undefined) throw new Error('call start() or open() first');
    return first;
  }

  /** Opens the test's NATS link, for stand-ins that must answer before the service starts. */
  async connect(): Promise<NatsLink> {
    this.linkOpened ??= await NatsLink.open(this.config.common.nats, 'test');
    return this.linkOpened;
  }

  /**
   * Starts a replica (the first, or another on the same database, subjects and buckets);
   * `overrides` change `env` for this replica only.
   */
  async start(overrides: Record<string, string> = {}): Promise<RunningService> {
    const replica = await runService(this.app(this.load({ ...this.env, ...overrides })));
    this.replicas.push(replica);
    return replica;
  }

  /** Stops one replica before `close()`: to restart the service, or to start it with other env. */
  async stop(replica: RunningService): Promise<void> {
    const index = this.replicas.indexOf(replica);
    if (index >= 0) this.replicas.splice(index, 1);
    await replica.close();
  }

  /** `connect()` then `start()`. */
  async open(): Promise<this> {
    await this.connect();
    await this.start();
    return this;
  }

  async close(): Promise<void> {
    await this.linkOpened?.close();
    for (const replica of this.replicas.splice(0)) await replica.close();
    await cleanUp(this.prefix);
  }
}
