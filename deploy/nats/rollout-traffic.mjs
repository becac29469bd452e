// The moving parts of the rollout that check-upgrade.mjs plays: a Kubernetes Service in front of
// each HTTP app, and steady traffic through them that counts every wrong answer.
import { createServer, connect as tcpConnect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { listeningPort } from './platform-processes.mjs';

/** @typedef {import('./platform-checks.mjs').Reply} Reply */

/**
 * @typedef {object} Service
 * @property {import('node:net').Server} server
 * @property {number[]} backends the ports it sends new connections to, in turn
 * @property {number} next
 * @property {number} port
 * @property {string} url
 */

/**
 * A Kubernetes Service in a few lines: new connections go round the ready backends.
 * @returns {Promise<Service>}
 */
export async function service() {
  const server = createServer((socket) => {
    const target = svc.backends[svc.next++ % Math.max(1, svc.backends.length)];
    if (target === undefined) return socket.destroy();
    const upstream = tcpConnect(target, '127.0.0.1');
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  /** @type {Service} */
  const svc = { server, backends: [], next: 0, port: 0, url: '' };
  /** @type {Promise<void>} */
  const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  await listening;
  svc.port = listeningPort(server);
  svc.url = `http://127.0.0.1:${svc.port}`;
  return svc;
}

/**
 * One kind of request, repeated by a worker: `expect(status)` says whether the answer is right.
 * @typedef {[kind: string, request: () => Promise<Reply>, expect: (status: number) => boolean, pauseMs: number]} Worker
 */

export class Traffic {
  /** @param {{ strict: boolean }} options strict: no known cause, every wrong answer fails */
  constructor({ strict }) {
    this.strict = strict;
    this.phase = 'previous permissions';
    /** @type {Map<string, { total: number, failed: number, known: number }>} */
    this.counts = new Map();
    /** @type {string[]} */
    this.failures = [];
    /** @type {string[]} */
    this.known = [];
    this.running = false;
    /** @type {Promise<unknown>} */
    this.done = Promise.resolve();
    /** When nats-server was told to reload (performance.now()). */
    this.reloadAt = Number.POSITIVE_INFINITY;
  }

  /**
   * A wrong answer with a cause outside the permission sets, or undefined:
   *  - in flight across the reload: nats-server 2.9.10 forgets the reply grants of
   *    `allow_responses` at every configuration reload (even of an unchanged file), so a responder
   *    cannot answer a request it received before it (a Publish Violation in the server log);
   *  - the reference backend closing: a request that arrives on a pooled keep-alive connection of
   *    the gateway while loyalty-api shuts down gets Fastify's 503, or the gateway's 502 when the
   *    connection closes under it (its upstream agent does not retry).
   * @param {string} phase
   * @param {number} started
   * @param {Reply} res
   */
  knownCause(phase, started, res) {
    if (started < this.reloadAt && performance.now() > this.reloadAt)
      return 'in flight across the reload (reply grant dropped by nats-server)';
    if (phase === 'rollout loyalty-api' && res.status === 503 && res.body.includes('"statusCode"'))
      return 'loyalty-api closing a keep-alive connection of the gateway (Fastify 503)';
    if (phase === 'rollout loyalty-api' && res.status === 502 && res.body.includes('110502'))
      return 'loyalty-api gone under a pooled keep-alive connection of the gateway (502)';
    return undefined;
  }

  /** @param {Worker} worker */
  worker([kind, request, expect, pauseMs]) {
    return (async () => {
      while (this.running) {
        const phase = this.phase;
        const started = performance.now();
        const res = await request();
        const entry = this.counts.get(kind) ?? { total: 0, failed: 0, known: 0 };
        entry.total += 1;
        if (!expect(res.status)) {
          const cause = this.strict ? undefined : this.knownCause(phase, started, res);
          entry[cause ? 'known' : 'failed'] += 1;
          (cause ? this.known : this.failures).push(
            `${phase}: ${kind} → ${res.status} ${res.body.slice(0, 160)}${cause ? ` [${cause}]` : ''}`,
          );
        }
        this.counts.set(kind, entry);
        await delay(pauseMs);
      }
    })();
  }

  /** @param {Worker[]} workers */
  start(workers) {
    this.running = true;
    this.done = Promise.all(workers.map((w) => this.worker(w)));
  }

  async stop() {
    this.running = false;
    await this.done;
  }

  get total() {
    return [...this.counts.values()].reduce((n, c) => n + c.total, 0);
  }

  get failed() {
    return [...this.counts.values()].reduce((n, c) => n + c.failed, 0);
  }

  get knownFailed() {
    return this.known.length;
  }
}

// ---------------------------------------------------------------------------------------------
