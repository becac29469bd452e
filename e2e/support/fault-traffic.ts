import http from 'node:http';

// A steady stream of requests through the gateway replicas for the fault tests, each request
// tagged with its own X-Request-Id so that what the gateway answered can be matched, one by
// one, with what reached the errors log.

/** One kind of request and the answer a correct gateway gives it. */
export interface Probe {
  readonly name: string;
  /** The status the request gets when the platform is healthy. */
  readonly expected: number;
  /** Its failed calls name the workspace, so each one must reach the workspace's errors log. */
  readonly audited: boolean;
  /** The request for one gateway (base URL). */
  readonly request: (gateway: string) => Outgoing;
}

export interface Outgoing {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface Answer {
  /** 0: no answer (connection refused, reset or timed out). */
  readonly status: number;
  readonly body: string;
  readonly headers?: http.IncomingHttpHeaders;
  readonly error?: string;
}

export interface Outcome extends Answer {
  readonly probe: Probe;
  /** Index of the gateway replica in `platform.gateways`. */
  readonly gateway: number;
  readonly requestId: string;
  /** performance.now() when sent and when answered (or failed). */
  readonly sentAt: number;
  readonly doneAt: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request over a keep-alive socket; never rejects (a failure is status 0). */
export function send(base: string, outgoing: Outgoing, timeoutMs = 10_000): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: outgoing.method,
        path: outgoing.path,
        headers: outgoing.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        );
        res.on('error', (error) => resolve({ status: 0, body: '', error: error.message }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, body: '', error: error.code ?? error.message }),
    );
    req.end(outgoing.body);
  });
}

/**
 * Sends the probes round-robin over the gateways in rotation, `workers` at a time with a pause
 * between requests, until stopped. Taking a replica out of rotation is what a load balancer
 * does once its health check fails.
 */
export class Traffic {
  private readonly done: Outcome[] = [];
  private readonly workers: Promise<void>[] = [];
  private rotation: number[];
  private next = 0;
  private stopping = false;

  constructor(
    private readonly gateways: readonly string[],
    private readonly probes: readonly Probe[],
    private readonly options: { tag: string; workers?: number; pauseMs?: number },
  ) {
    this.rotation = gateways.map((_, index) => index);
  }

  get outcomes(): readonly Outcome[] {
    return this.done;
  }

  start(): this {
    for (let i = 0; i < (this.options.workers ?? 4); i += 1) this.workers.push(this.work());
    return this;
  }

  /** The replicas (indexes into `gateways`) that get new requests from now on. */
  route(rotation: readonly number[]): void {
    this.rotation = [...rotation];
  }

  async stop(): Promise<Outcome[]> {
    this.stopping = true;
    await Promise.all(this.workers);
    return this.done;
  }

  private async work(): Promise<void> {
    while (!this.stopping) {
      const n = this.next;
      this.next += 1;
      const probe = this.probes[n % this.probes.length];
      // the k-th round sends probe i to replica k + i: every probe goes to every replica in turn
      const round = Math.floor(n / this.probes.length);
      const gateway = this.rotation[(round + (n % this.probes.length)) % this.rotation.length];
      if (probe === undefined || gateway === undefined) return;
      const base = this.gateways[gateway] ?? '';
      const requestId = `${this.options.tag}-${n}`;
      const outgoing = probe.request(base);
      const sentAt = performance.now();
      const answer = await send(base, {
        ...outgoing,
        headers: { ...outgoing.headers, 'x-request-id': requestId },
      });
      this.done.push({ ...answer, probe, gateway, requestId, sentAt, doneAt: performance.now() });
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs ?? 10));
    }
  }
}

/** An admin change sent through the management API, and its answer. */
export interface AdminChange {
  readonly name: string;
  /** The change's number (its body is `write(n)`). */
  readonly n: number;
  readonly requestId: string;
  readonly status: number;
  /** The start of the answer's body, for failure messages. */
  readonly answer: string;
  readonly sentAt: number;
  readonly doneAt: number;
}

/**
 * Admin changes at a steady pace through the management API with a personal access token
 * (each with If-Match from a fresh read where the write needs one), each tagged with its own
 * X-Request-Id, which the change log keeps.
 */
export class AdminChanges {
  private readonly done: AdminChange[] = [];
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly management: string,
    private readonly token: string,
    private readonly changes: readonly {
      readonly name: string;
      readonly write: (n: number) => Omit<AdminWrite, 'requestId'>;
    }[],
    private readonly options: { tag: string; intervalMs?: number },
  ) {}

  get outcomes(): readonly AdminChange[] {
    return this.done;
  }

  start(): this {
    this.loop = this.work();
    return this;
  }

  async stop(): Promise<AdminChange[]> {
    this.stopping = true;
    await this.loop;
    return this.done;
  }

  private async work(): Promise<void> {
    for (let n = 0; !this.stopping; n += 1) {
      const change = this.changes[n % this.changes.length];
      if (change === undefined) return;
      const requestId = `${this.options.tag}-admin-${n}`;
      const sentAt = performance.now();
      const answer = await revisedWrite(this.management, this.token, {
        ...change.write(n),
        requestId,
      });
      this.done.push({
        name: change.name,
        n,
        requestId,
        status: answer.status,
        answer: answer.body.slice(0, 300),
        sentAt,
        doneAt: performance.now(),
      });
      await new Promise((resolve) => setTimeout(resolve, this.options.intervalMs ?? 400));
    }
  }
}

/** A management API write as automation makes it (Bearer access token). */
export interface AdminWrite {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  /** Where to read the ETag sent back in If-Match, for writes that need one. */
  readonly revisionFrom?: string;
  readonly requestId?: string;
}

/** Sends a write, with If-Match from a fresh read when it names one; resolves with the answer. */
export async function revisedWrite(
  management: string,
  token: string,
  write: AdminWrite,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (write.requestId !== undefined) headers['x-request-id'] = write.requestId;
  if (write.revisionFrom !== undefined) {
    const read = await send(management, { method: 'GET', path: write.revisionFrom, headers });
    if (read.status !== 200) return read;
    const etag = read.headers?.etag;
    if (typeof etag === 'string') headers['if-match'] = etag;
  }
  return send(management, {
    method: write.method,
    path: write.path,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(write.body),
  });
}

/**
 * How often each request id of `tag` appears in a log of the workspace, read as an admin reads
 * it: the management API's NDJSON export (`errors` or `audit/changes`).
 */
export async function logCounts(
  management: string,
  token: string,
  workspace: string,
  log: 'errors' | 'audit/changes',
  tag: string,
): Promise<Map<string, number>> {
  const answer = await send(
    management,
    {
      method: 'GET',
      path: `/api/workspaces/${workspace}/${log}?format=ndjson`,
      headers: { authorization: `Bearer ${token}` },
    },
    20_000,
  );
  if (answer.status !== 200) throw new Error(`${log} export answered ${answer.status}`);
  const counts = new Map<string, number>();
  for (const line of answer.body.split('\n')) {
    if (line === '') continue;
    const { requestId } = JSON.parse(line) as { requestId?: string };
    if (requestId?.startsWith(`${tag}-`)) counts.set(requestId, (counts.get(requestId) ?? 0) + 1);
  }
  return counts;
}

/** What was expected in a log, what is there, what is missing and what is there twice. */
export interface LogTally {
  readonly expected: number;
  readonly stored: number;
  readonly lost: readonly string[];
  readonly duplicated: number;
  /** Tagged entries nobody expected (an answer that did not say it failed, or was refused). */
  readonly unexpected: readonly string[];
}

export function tally(
  expected: readonly string[],
  counts: ReadonlyMap<string, number>,
  tolerated: ReadonlySet<string> = new Set(),
): LogTally {
  const wanted = new Set(expected);
  const lost = expected.filter((id) => !counts.has(id));
  let duplicated = 0;
  for (const count of counts.values()) duplicated += count - 1;
  const unexpected = [...counts.keys()].filter((id) => !wanted.has(id) && !tolerated.has(id));
  return { expected: wanted.size, stored: wanted.size - lost.length, lost, duplicated, unexpected };
}

/** Waits until every expected request id is in the log (or `ms` passed); returns the tally. */
export async function settledLog(
  read: () => Promise<ReadonlyMap<string, number>>,
  expected: readonly string[],
  ms: number,
  tolerated?: ReadonlySet<string>,
): Promise<LogTally> {
  const deadline = performance.now() + ms;
  for (;;) {
    const result = tally(expected, await read(), tolerated);
    if (result.lost.length === 0 || performance.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The probes' answers against what a correct gateway answers; `excused` are by design. */
export function decisions(
  outcomes: readonly Outcome[],
  excused: (outcome: Outcome) => boolean = () => false,
): {
  wronglyAdmitted: Outcome[];
  wronglyRefused: Outcome[];
  excused: Outcome[];
  unanswered: Outcome[];
} {
  const wronglyAdmitted: Outcome[] = [];
  const wronglyRefused: Outcome[] = [];
  const byDesign: Outcome[] = [];
  const unanswered: Outcome[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === outcome.probe.expected) continue;
    if (excused(outcome)) byDesign.push(outcome);
    else if (outcome.status === 0) unanswered.push(outcome);
    else if (outcome.probe.expected >= 400 && outcome.status < 400) wronglyAdmitted.push(outcome);
    else wronglyRefused.push(outcome);
  }
  return { wronglyAdmitted, wronglyRefused, excused: byDesign, unanswered };
}

/** Failed calls that must be in the workspace's errors log: answered >= 400, naming it. */
export function auditedFailures(outcomes: readonly Outcome[]): string[] {
  return outcomes
    .filter((outcome) => outcome.probe.audited && outcome.status >= 400)
    .map((outcome) => outcome.requestId);
}

/** `{probe: {status: count}}`, for failure messages. */
export function byProbe(outcomes: readonly Outcome[]): Record<string, Record<number, number>> {
  const result: Record<string, Record<number, number>> = {};
  for (const { probe, status } of outcomes) {
    const counts = (result[probe.name] ??= {});
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return result;
}
