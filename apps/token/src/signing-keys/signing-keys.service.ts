import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { DataSource, IsNull } from 'typeorm';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { JWKS_KEY, type Jwks, type PublicJwk } from '@loyalty-edge/token-contracts';
import { SigningKeyEntity } from './signing-key.entity.js';
import { seal } from './sealing.js';

export const KEY_SETTINGS = Symbol('KeySettings');

export interface KeySettings {
  readonly rotateAfterDays: number;
  readonly retainSeconds: number;
  readonly encryptionKey: Buffer;
}

const DAY_MS = 86_400_000;

/**
 * ES256 signing keys: one active key, rotated after a set age; retired keys stay in the JWKS
 * for as long as tokens they signed may live. The JWKS is pushed to the gateway through KV.
 */
@Injectable()
export class SigningKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SigningKeysService.name);
  private bucket: KV | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly link: NatsLink,
    @Inject(KEY_SETTINGS) private readonly settings: KeySettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rotateIfDue(new Date());
    await this.publish();
  }

  /** Makes a new active key when there is none, the active one is too old, or `force`. */
  async rotateIfDue(now: Date, force = false): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['token:signing-keys']);
      const repository = manager.getRepository(SigningKeyEntity);
      const active = await repository.findOneBy({ retiredAt: IsNull() });
      if (
        active &&
        !force &&
        now.getTime() - active.createdAt.getTime() < this.settings.rotateAfterDays * DAY_MS
      ) {
        return false;
      }
      if (active) await repository.update({ kid: active.kid }, { retiredAt: now });
      const kid = randomUUID();
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const der = privateKey.export({ format: 'der', type: 'pkcs8' });
      await repository.insert({
        kid,
        publicJwk: publicKey.export({ format: 'jwk' }) as Record<string, string>,
        privateKeySealed: seal(this.settings.encryptionKey, der, kid),
        createdAt: now,
        retiredAt: null,
      });
      this.logger.log({ msg: 'signing key created', kid });
      return true;
    });
  }

  /** The active key and every retired key whose tokens may still be valid. */
  async jwks(now = new Date()): Promise<Jwks> {
    const keys = await this.dataSource
      .getRepository(SigningKeyEntity)
      .find({ order: { createdAt: 'DESC' } });
    const horizon = now.getTime() - this.settings.retainSeconds * 1000;
    return {
      keys: keys
        .filter((key) => key.retiredAt === null || key.retiredAt.getTime() > horizon)
        .map((key): PublicJwk => ({
          kty: 'EC',
          crv: 'P-256',
          x: key.publicJwk.x ?? '',
          y: key.publicJwk.y ?? '',
          kid: key.kid,
          alg: 'ES256',
          use: 'sig',
        })),
    };
  }

  async publish(): Promise<void> {
    this.bucket ??= await openBucket(this.link, KV_BUCKETS.jwks);
    await kvPut(this.bucket, JWKS_KEY, await this.jwks());
  }
}
