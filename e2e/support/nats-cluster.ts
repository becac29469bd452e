import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@loyalty-edge/testing';

const BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

interface NodePorts {
  readonly client: number;
  readonly route: number;
  readonly monitor: number;
}

/** One stream as a node's /jsz reports it. */
export interface StreamState {
  readonly name: string;
  readonly replicas: number;
  readonly messages: number;
  readonly lastSeq: number;
}

interface JszAnswer {
  account_details?: {
    stream_detail?: {
      name: string;
      config?: { num_replicas?: number };
      state?: { messages?: number; last_seq?: number };
    }[];
  }[];
}

/**
 * A 3-node nats-server cluster with JetStream (Raft) on loopback ports of the test's own, without
 * users (like the single test server). Each node keeps its store and ports, so a killed node
 * started again rejoins as itself and catches up.
 */
export class NatsCluster {
  private readonly children: (ChildProcess | undefined)[] = [];

  private constructor(
    private readonly dir: string,
    private readonly nodes: readonly NodePorts[],
  ) {}

  static async start(size = 3): Promise<NatsCluster> {
    if (!existsSync(BIN)) throw new Error(`nats-server not found at ${BIN}: set NATS_SERVER_BIN`);
    const nodes: NodePorts[] = [];
    for (let i = 0; i < size; i += 1)
      nodes.push({ client: await freePort(), route: await freePort(), monitor: await freePort() });
    const cluster = new NatsCluster(mkdtempSync(join(tmpdir(), 'le-nats-cluster-')), nodes);
    cluster.writeConfigs();
    await Promise.all(nodes.map((_, index) => cluster.startNode(index)));
    await cluster.waitForMetaLeader();
    return cluster;
  }

  /** Every node, comma-separated (NATS_URL of the apps). */
  get url(): string {
    return this.nodes.map((node) => `nats://127.0.0.1:${node.client}`).join(',');
  }

  get size(): number {
    return this.nodes.length;
  }

  monitorUrl(index: number): string {
    return `http://127.0.0.1:${this.node(index).monitor}`;
  }

  running(index: number): boolean {
    const child = this.children[index];
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Starts one node (again); resolves once its /healthz answers 200. */
  async startNode(index: number): Promise<void> {
    const child = spawn(BIN, ['-c', join(this.dir, `node-${index + 1}.conf`)], {
      stdio: 'ignore',
    });
    this.children[index] = child;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (!this.running(index)) throw new Error(`nats node ${index + 1} exited at start`);
      if (await this.healthy(index)) return;
      if (Date.now() > deadline) throw new Error(`nats node ${index + 1} not healthy in 20 s`);
      await sleep(50);
    }
  }

  /** SIGKILL: the node vanishes without a goodbye to clients or peers. */
  async kill(index: number): Promise<void> {
    const child = this.children[index];
    if (!child || !this.running(index)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** `/healthz` of one node: 200 once it serves clients and its JetStream is current. */
  async healthy(index: number): Promise<boolean> {
    try {
      const res = await fetch(`${this.monitorUrl(index)}/healthz`, {
        signal: AbortSignal.timeout(1000),
      });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** The streams (KV buckets included) whose names start with `prefix`, as one node sees them. */
  async streams(index: number, prefix: string): Promise<StreamState[]> {
    const res = await fetch(
      `${this.monitorUrl(index)}/jsz?accounts=true&streams=true&config=true`,
      { signal: AbortSignal.timeout(2000) },
    );
    const body = (await res.json()) as JszAnswer;
    return (body.account_details ?? [])
      .flatMap((account) => account.stream_detail ?? [])
      .filter((s) => s.name.startsWith(`${prefix}_`) || s.name.startsWith(`KV_${prefix}_`))
      .map((s) => ({
        name: s.name,
        replicas: s.config?.num_replicas ?? 1,
        messages: s.state?.messages ?? 0,
        lastSeq: s.state?.last_seq ?? 0,
      }));
  }

  async close(): Promise<void> {
    for (let index = 0; index < this.nodes.length; index += 1) await this.kill(index);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private node(index: number): NodePorts {
    const node = this.nodes[index];
    if (!node) throw new Error(`no nats node ${index + 1}`);
    return node;
  }

  private writeConfigs(): void {
    const routes = this.nodes.map((node) => `    nats-route://127.0.0.1:${node.route}`).join('\n');
    this.nodes.forEach((node, index) => {
      const store = join(this.dir, `store-${index + 1}`);
      mkdirSync(store, { recursive: true });
      writeFileSync(
        join(this.dir, `node-${index + 1}.conf`),
        [
          `server_name: le-e2e-${index + 1}`,
          `listen: 127.0.0.1:${node.client}`,
          `http: 127.0.0.1:${node.monitor}`,
          `jetstream { store_dir: "${store}", max_memory_store: 128MB, max_file_store: 1GB }`,
          'cluster {',
          '  name: le-e2e',
          `  listen: 127.0.0.1:${node.route}`,
          '  routes: [',
          routes,
          '  ]',
          '}',
          '',
        ].join('\n'),
      );
    });
  }

  /** JetStream answers only once the nodes elected a meta leader: wait for /jsz to name one. */
  private async waitForMetaLeader(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const res = await fetch(`${this.monitorUrl(0)}/jsz`, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as { meta_cluster?: { leader?: string } };
        if (body.meta_cluster?.leader) return;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error('the NATS cluster elected no meta leader in 20 s');
      await sleep(100);
    }
  }
}
