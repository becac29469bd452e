import {
  createPublicKey,
  createVerify,
  createPrivateKey,
  createSign,
  randomBytes,
} from 'node:crypto';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { kvGet, openBucket } from '@loyalty-edge/nats';
import { ServiceTest } from '@loyalty-edge/service-testing';
import {
  ISSUER_KEY,
  JWKS_KEY,
  TokenRpc,
  type IssuerRecord,
  type Jwks,
} from '@loyalty-edge/token-contracts';
import { DataSource } from 'typeorm';
import { tokenApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { KeyMaintenance } from '../src/signing-keys/key-maintenance.js';
import { KeyRing } from '../src/signing-keys/key-ring.js';
import { SigningKeyEntity } from '../src/signing-keys/signing-key.entity.js';
import { SigningKeysService } from '../src/signing-keys/signing-keys.service.js';
import { unseal } from '../src/signing-keys/sealing.js';

const encryptionKey = randomBytes(32);
const test = new ServiceTest(loadConfig, tokenApp, {
  TOKEN_KEY_ENCRYPTION_KEY: encryptionKey.toString('base64'),
});

beforeAll(() => test.open());
afterAll(() => test.close());

describe('token service signing keys', () => {
  it('creates one ES256 key at first start and publishes the JWKS', async () => {
    const jwks = await test.rpc.request(TokenRpc.jwks, {});
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const published = await kvGet<Jwks>(await openBucket(test.link, KV_BUCKETS.jwks), JWKS_KEY);
    expect(published).toEqual(jwks);
  });

  it('keeps the private key sealed, and the sealed key signs what the JWKS key verifies', async () => {
    const [row] = await test.service.app.get(DataSource).getRepository(SigningKeyEntity).find();
    expect(row?.privateKeySealed.toString('latin1')).not.toContain('PRIVATE KEY');
    const privateKey = createPrivateKey({
      key: unseal(encryptionKey, row!.privateKeySealed, row!.kid),
      format: 'der',
      type: 'pkcs8',
    });
    const signature = createSign('SHA256')
      .update('payload')
      .sign({ key: privateKey, dsaEncoding: 'ieee-p1363' });
    const jwk = (await test.rpc.request(TokenRpc.jwks, {})).keys[0]!;
    const publicKey = createPublicKey({ key: { ...jwk }, format: 'jwk' });
    expect(
      createVerify('SHA256')
        .update('payload')
        .verify({ key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(true);
  });

  it('publishes the issuer record of the environment', async () => {
    const bucket = await openBucket(test.link, KV_BUCKETS.jwks);
    expect(await kvGet<IssuerRecord>(bucket, ISSUER_KEY)).toEqual({
      issuer: 'http://127.0.0.1:8080',
      audiences: ['http://127.0.0.1:8080/v1/async/events'],
      scopes: ['loyalty.async_events'],
      tokenValiditySeconds: 3600,
    });
  });

  it('rotates with pre-publication: the next key is in the JWKS at once, signs from its activation', async () => {
    const keys = test.service.app.get(SigningKeysService);
    const ring = test.service.app.get(KeyRing);
    const [first] = (await test.rpc.request(TokenRpc.jwks, {})).keys;
    expect(await keys.rotateIfDue(new Date())).toBeUndefined();
    const rotated = await keys.rotateIfDue(new Date(), true);
    // TOKEN_KEY_ACTIVATION_DELAY_SECONDS defaults to 900
    expect((rotated?.activatesAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(895_000);
    await test.service.app.get(KeyMaintenance).run(new Date());
    const jwks = await test.rpc.request(TokenRpc.jwks, {});
    expect(jwks.keys.map((k) => k.kid)).toEqual([rotated?.kid, first?.kid]);
    const published = await kvGet<Jwks>(await openBucket(test.link, KV_BUCKETS.jwks), JWKS_KEY);
    expect(published).toEqual(jwks);
    expect(ring.signer()?.kid).toBe(first?.kid);

    // one newest key; the previous one retires when the next activates
    const rows = await test.service.app.get(DataSource).getRepository(SigningKeyEntity).find();
    expect(rows.filter((row) => row.retiredAt === null).map((row) => row.kid)).toEqual([
      rotated?.kid,
    ]);
    expect(rows.find((row) => row.kid === first?.kid)?.retiredAt).toEqual(rotated?.activatesAt);

    // bring the activation forward in the database, as if 900 s had passed
    const dataSource = test.service.app.get(DataSource);
    await dataSource.query(
      `UPDATE "${test.prefix}_token".signing_keys SET activates_at = now() WHERE kid = $1`,
      [rotated?.kid],
    );
    await dataSource.query(
      `UPDATE "${test.prefix}_token".signing_keys SET retired_at = now() WHERE kid = $1`,
      [first?.kid],
    );
    await keys.reload();
    expect(ring.signer()?.kid).toBe(rotated?.kid);
  });

  it('refuses a start without the key-encryption key, naming the variable', () => {
    expect(() => loadConfig({ ...test.env, TOKEN_KEY_ENCRYPTION_KEY: 'short' })).toThrow(
      'TOKEN_KEY_ENCRYPTION_KEY must be the base64 of 32 random bytes',
    );
  });
});
