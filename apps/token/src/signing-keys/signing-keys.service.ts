import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { KvOutbox } from '@loyalty-edge/outbox';
import {
  ISSUER_KEY,
  JWKS_KEY,
  type IssuerRecord,
  type Jwks,
  type PublicJwk,
} from '@loyalty-edge/token-contracts';
import { KeyRing, type RingKey } from './key-ring.js';
import { isPublished, plannedActivation, type ScheduledKey } from './key-schedule.js';
import { SigningKeyEntity } from './signing-key.entity.js';
import { seal, unseal } from './sealing.js';

export const KEY_SETTINGS = Symbol('KeySettings');
export const ISSUER_RECORD = Symbol('IssuerRecord');

export interface KeySettings {
  readonly rotateAfterDays: number;
  readonly retainSeconds: number;
  readonly activationDelaySeconds: number;
  readonly encryptionKey: Buffer;
}

export interface RotatedKey {
  readonly kid: string;
  readonly activatesAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * ES256 signing keys in PostgreSQL (private keys sealed): one newest key (retired_at null),
 * rotated after a set age. A new key is published in the JWKS `activationDelaySeconds` before it
 * signs; the previous key retires at that instant and stays in the JWKS for `retainSeconds`.
 * Loads the keys into the KeyRing and pushes the JWKS and the issuer record to KV (through the
 * outbox, each only when it changed).
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeysService.name);
  private loading: Promise<void> | undefined;
  private reloadsAsked = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: KvOutbox,
    private readonly ring: KeyRing,
    @Inject(KEY_SETTINGS) private readonly settings: KeySettings,
    @Inject(ISSUER_RECORD) private readonly issuer: IssuerRecord,
  ) {}

  onModuleInit(): void {
    this.outbox.register({
      bucket: KV_BUCKETS.jwks,
      snapshot: async () => [
        { key: JWKS_KEY, value: await this.jwks() },
        { key: ISSUER_KEY, value: this.issuer },
      ],
    });
  }

  /**
   * Inserts the next key when none exists, the newest has signed for `rotateAfterDays`, or
   * `force`; serialized across replicas by an advisory lock. Returns the new key, if any.
   */
  async rotateIfDue(now: Date, force = false): Promise<RotatedKey | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['token:signing-keys']);
      const repository = manager.getRepository(SigningKeyEntity);
      const newest = await repository.findOneBy({ retiredAt: IsNull() });
      const activation = plannedActivation(
        newest ? scheduleOf(newest) : undefined,
        now.getTime(),
        {
          rotateAfterMs: this.settings.rotateAfterDays * DAY_MS,
          activationDelayMs: this.settings.activationDelaySeconds * 1000,
        },
        force,
      );
      if (activation === undefined) return undefined;
      const activatesAt = new Date(activation);
      if (newest) await repository.update({ kid: newest.kid }, { retiredAt: activatesAt });
      const kid = randomUUID();
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const der = privateKey.export({ format: 'der', type: 'pkcs8' });
      await repository.insert({
        kid,
        publicJwk: publicKey.export({ format: 'jwk' }) as Record<string, string>,
        privateKeySealed: seal(this.settings.encryptionKey, der, kid),
        createdAt: now,
        activatesAt,
        retiredAt: null,
      });
      der.fill(0);
      this.logger.log({ msg: 'signing key created', kid, activatesAt: activatesAt.toISOString() });
      return { kid, activatesAt };
    });
  }

  /**
   * Loads the published keys into the ring, unsealing each key that signs now or later once
   * (a key already held keeps its KeyObject). Concurrent calls share one load, plus one more
   * when a call arrives during a load.
   */
  async reload(): Promise<void> {
    this.reloadsAsked += 1;
    if (this.loading) return this.loading;
    this.loading = (async () => {
      let served = 0;
      while (served !== this.reloadsAsked) {
        served = this.reloadsAsked;
        await this.load(new Date());
      }
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** The public keys of the JWKS at `now`, newest first, read from the database. */
  async jwks(now = new Date()): Promise<Jwks> {
    const rows = await this.publishedRows(now);
    return { keys: rows.map((row) => jwkOf(row)) };
  }

  /**
   * Queues the JWKS for KV when it differs from the last one queued (by any replica), and waits
   * (briefly) until it is there. True when it changed.
   */
  async publish(): Promise<boolean> {
    const jwks = await this.jwks();
    const changed = await this.queue(JWKS_KEY, jwks);
    if (changed) this.logger.log({ msg: 'jwks published', kids: jwks.keys.map((key) => key.kid) });
    return changed;
  }

  /** The issuer record of this environment, queued when it changed. */
  async publishIssuer(): Promise<void> {
    await this.queue(ISSUER_KEY, this.issuer);
  }

  /**
   * Notes the JWKS another replica (or this one) put in KV; true when its keys differ from the
   * ring's, so the ring should be reloaded.
   */
  observe(jwks: Jwks | undefined): boolean {
    const kids = (jwks?.keys ?? []).map((key) => key.kid).sort();
    return kids.join(',') !== this.ring.kids().join(',');
  }

  private async queue(key: string, value: unknown): Promise<boolean> {
    const ticket = await this.dataSource.transaction((manager) =>
      this.outbox.write(manager, [{ bucket: KV_BUCKETS.jwks, key, value }], { unlessSame: true }),
    );
    await this.outbox.settled(ticket);
    return ticket.ids.length > 0;
  }

  private async load(now: Date): Promise<void> {
    const rows = await this.publishedRows(now);
    const keys = rows.map((row): RingKey => {
      const held = this.ring.get(row.kid);
      const signsLater = row.retiredAt === null || row.retiredAt.getTime() > now.getTime();
      return {
        ...scheduleOf(row),
        jwk: jwkOf(row),
        privateKey: signsLater ? (held?.privateKey ?? this.unsealed(row)) : undefined,
      };
    });
    const before = this.ring.kids().join();
    this.ring.replace(keys);
    if (this.ring.kids().join() !== before) {
      this.logger.log({ msg: 'signing keys loaded', kids: keys.map((key) => key.kid) });
    }
  }

  private unsealed(row: SigningKeyEntity): KeyObject {
    const der = unseal(this.settings.encryptionKey, row.privateKeySealed, row.kid);
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } finally {
      der.fill(0);
    }
  }

  private async publishedRows(now: Date): Promise<SigningKeyEntity[]> {
    // a key a month: the table stays small enough to read whole
    const rows = await this.dataSource
      .getRepository(SigningKeyEntity)
      .find({ order: { activatesAt: 'DESC', kid: 'ASC' } });
    const retainMs = this.settings.retainSeconds * 1000;
    return rows.filter((row) => isPublished(scheduleOf(row), now.getTime(), retainMs));
  }
}

function jwkOf(row: SigningKeyEntity): PublicJwk {
  return {
    kty: 'EC',
    crv: 'P-256',
    x: row.publicJwk.x ?? '',
    y: row.publicJwk.y ?? '',
    kid: row.kid,
    alg: 'ES256',
    use: 'sig',
  };
}

function scheduleOf(row: SigningKeyEntity): ScheduledKey {
  return {
    kid: row.kid,
    activatesAt: row.activatesAt.getTime(),
    retiredAt: row.retiredAt?.getTime() ?? null,
  };
}
