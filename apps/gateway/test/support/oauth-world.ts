import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Subscription } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { KV_BUCKETS, STREAMS, type EventContract, type KvBucket } from '@loyalty-edge/contracts';
import { AuditEvents, type FailedCallEvent, type TokenEvent } from '@loyalty-edge/audit-contracts';
import type { WorkspaceModules, WorkspaceRecord } from '@loyalty-edge/management-contracts';
import { ensureStream, kvPut, NatsLink, openBucket, type RpcReply } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix, within } from '@loyalty-edge/testing';
import {
  ISSUER_KEY,
  JWKS_KEY,
  OAUTH_ERRORS,
  TokenRpc,
  type AuthClientRecord,
  type IssuedToken,
  type IssueRequest,
  type IssuerRecord,
  type Jwks,
  type PublicJwk,
} from '@loyalty-edge/token-contracts';
import { DataPlane, gatewayApp } from '../../src/app.module.js';
import { loadConfig } from '../../src/config.js';
import { PolicyStore } from '../../src/policies/policy-store.js';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface TestClient {
  readonly clientId: string;
  readonly secret: string;
  readonly workspaceId: string;
  readonly scopes: readonly string[];
  readonly audience: string;
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: PublicJwk;
}

export const AUDIENCE = 'loyalty-api';
export const SCOPE = 'loyalty.async_events';

export function signingKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x = '', y = '' } = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, jwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' } };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A compact JWS signed with ES256 (raw r||s), as the token service signs. */
export function signJwt(header: Record<string, unknown>, claims: unknown, key: KeyObject): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * A gateway on real NATS, with the test standing in for the owners of its KV buckets (token
 * service, management-api, ip-filter) and for the token service's `issue` and `jwks` subjects.
 */
export class OAuthWorld {
  readonly prefix = uniquePrefix();
  readonly seen: Seen[] = [];
  readonly key = signingKey('kid-main');
  readonly clients = new Map<string, TestClient>();
  /** Keys the token service answers `token.jwks.get` with (the KV copy may lag). */
  rpcJwks: PublicJwk[] = [this.key.jwk];
  /** How the stand-in token service answers `issue`. */
  mode: 'ok' | 'internal' | 'silent' = 'ok';
  issueCalls = 0;
  jwksCalls = 0;
  link!: NatsLink;
  gateway!: RunningService;
  url = '';
  issuer!: IssuerRecord;
  private upstream!: Server;
  private readonly subscriptions: Subscription[] = [];

  async start(extraEnv: Record<string, string> = {}): Promise<this> {
    this.upstream = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
      });
    });
    await new Promise<void>((resolve) => this.upstream.listen(0, '127.0.0.1', resolve));
    const env = serviceEnv(this.prefix, {
      GATEWAY_PORT: '0',
      UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${(this.upstream.address() as AddressInfo).port}`,
      NATS_REQUEST_TIMEOUT_MS: '400',
      ...extraEnv,
    });
    this.link = await NatsLink.open(loadConfig(env).common.nats, 'test');
    await ensureStream(this.link, STREAMS.audit);
    this.respond();
    this.gateway = await runService(gatewayApp(loadConfig(env)));
    this.url = this.gateway.app.get(DataPlane).url;
    this.issuer = {
      issuer: this.url,
      audiences: [AUDIENCE, 'other-api'],
      scopes: [SCOPE, 'loyalty.other'],
      tokenValiditySeconds: 900,
    };
    await this.put(KV_BUCKETS.jwks, ISSUER_KEY, this.issuer);
    await this.put(KV_BUCKETS.jwks, JWKS_KEY, { keys: [this.key.jwk] } satisfies Jwks);
    await within(2000, () => Promise.resolve(this.store.tokenKeys.key(this.key.kid) !== undefined));
    await within(2000, () => Promise.resolve(this.store.tokenKeys.issuer !== undefined));
    return this;
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.link.close();
    await this.gateway.close();
    await new Promise((resolve) => this.upstream.close(resolve));
    await cleanUp(this.prefix);
  }

  get store(): PolicyStore {
    return this.gateway.app.get(PolicyStore, { strict: false });
  }

  async put(bucket: KvBucket, key: string, value: unknown): Promise<void> {
    await kvPut(await openBucket(this.link, bucket), key, value);
  }

  async putWorkspace(id: string, modules: Partial<WorkspaceModules> = {}): Promise<void> {
    const record: WorkspaceRecord = {
      id,
      name: id,
      modules: { ipFilter: false, signatureCheck: false, asyncEvents: true, ...modules },
    };
    await this.put(KV_BUCKETS.workspaces, id, record);
    await within(2000, () =>
      Promise.resolve(
        JSON.stringify(this.store.workspaces.get(id)?.modules) === JSON.stringify(record.modules),
      ),
    );
  }

  /** Puts a client's KV record (and an active workspace unless told otherwise); waits for it to arrive. */
  async addClient(
    workspaceId: string,
    options: {
      status?: AuthClientRecord['status'];
      expiresAt?: string;
      scopes?: readonly string[];
      withWorkspace?: boolean;
    } = {},
  ): Promise<TestClient> {
    const client: TestClient = {
      clientId: `lec_${randomBytes(18).toString('base64url')}`,
      secret: `lecs_${randomBytes(32).toString('base64url')}`,
      workspaceId,
      scopes: options.scopes ?? [SCOPE],
      audience: AUDIENCE,
    };
    this.clients.set(client.clientId, client);
    if (options.withWorkspace !== false) await this.putWorkspace(workspaceId);
    await this.putClient(client, options.status ?? 'active', options.expiresAt);
    return client;
  }

  async putClient(
    client: TestClient,
    status: AuthClientRecord['status'],
    expiresAt = new Date(Date.now() + 86_400_000).toISOString(),
  ): Promise<void> {
    const record: AuthClientRecord = {
      workspaceId: client.workspaceId,
      status,
      expiresAt,
      revokedAt: status === 'revoked' ? new Date().toISOString() : null,
    };
    await this.put(KV_BUCKETS.authClients, client.clientId, record);
    await within(2000, () =>
      Promise.resolve(this.store.authClients.get(client.clientId)?.status === status),
    );
  }

  /** The claims the stand-in token service puts in a client's token. */
  claims(client: TestClient, scope = client.scopes.join(' ')): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: this.issuer.issuer,
      aud: client.audience,
      sub: client.clientId,
      client_id: client.clientId,
      scope,
      workspace_id: client.workspaceId,
      jti: randomUUID(),
      iat: now,
      nbf: now,
      exp: now + 900,
    };
  }

  sign(
    claims: Record<string, unknown>,
    header: Record<string, unknown> = {},
    key: SigningKey = this.key,
  ): string {
    return signJwt(
      { alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...header },
      claims,
      key.privateKey,
    );
  }

  /** Every event of one kind in this run's AUDIT stream. */
  async events<T>(contract: EventContract<T>): Promise<T[]> {
    const jsm = await jetstreamManager(this.link.connection);
    const stream = this.link.name(STREAMS.audit.name);
    const info = await jsm.streams.info(stream);
    const events: T[] = [];
    for (let seq = 1; seq <= info.state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message?.subject === this.link.subject(contract.subject)) events.push(message.json<T>());
    }
    return events;
  }

  /** The token log: the gateway sends it in batches. */
  async tokenEvents(): Promise<TokenEvent[]> {
    const batches = await this.events(AuditEvents.tokenBatch);
    return batches.flatMap((batch) => batch.events);
  }

  failedCalls(): Promise<FailedCallEvent[]> {
    return this.events(AuditEvents.failedCall);
  }

  /** Stands in for the token service: checks the secret and the scope, signs with the test key. */
  private respond(): void {
    const { connection } = this.link;
    this.subscriptions.push(
      connection.subscribe(this.link.subject(TokenRpc.issue.subject), {
        callback: (_error, message) => {
          this.issueCalls += 1;
          if (this.mode === 'silent') return;
          const request = JSON.parse(decoder.decode(message.data)) as IssueRequest;
          message.respond(encoder.encode(JSON.stringify(this.issue(request))));
        },
      }),
      connection.subscribe(this.link.subject(TokenRpc.jwks.subject), {
        callback: (_error, message) => {
          this.jwksCalls += 1;
          const reply: RpcReply<Jwks> = { ok: { keys: this.rpcJwks } };
          message.respond(encoder.encode(JSON.stringify(reply)));
        },
      }),
    );
  }

  private issue(request: IssueRequest): RpcReply<IssuedToken> {
    if (this.mode === 'internal') {
      return { error: { kind: 'internal', code: 100500, message: 'Internal error' } };
    }
    const client = this.clients.get(request.clientId);
    if (client?.secret !== request.clientSecret) {
      return {
        error: {
          kind: 'unauthenticated',
          code: OAUTH_ERRORS.invalid_client.code,
          message: 'Client authentication failed',
        },
      };
    }
    const asked = request.scope?.split(' ') ?? client.scopes;
    if (!asked.every((scope) => client.scopes.includes(scope))) {
      return {
        error: {
          kind: 'invalid',
          code: OAUTH_ERRORS.invalid_scope.code,
          message: 'The requested scope is not allowed for this client',
        },
      };
    }
    const claims = this.claims(client, asked.join(' '));
    return {
      ok: {
        accessToken: this.sign(claims),
        expiresIn: 900,
        scope: asked.join(' '),
        jti: String(claims.jti),
        audience: client.audience,
        workspaceId: client.workspaceId,
        clientId: client.clientId,
      },
    };
  }
}

/** The token endpoint with client_secret_basic, as a plain HTTP client sends it. */
export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
