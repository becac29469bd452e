import {
  createPublicKey,
  createVerify,
  createPrivateKey,
  createSign,
  randomBytes,
} from 'node:crypto';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { kvGet, NatsLink, openBucket, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { JWKS_KEY, TokenRpc, type Jwks } from '@loyalty-edge/token-contracts';
import { DataSource } from 'typeorm';
import { tokenApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { SigningKeyEntity } from '../src/signing-keys/signing-key.entity.js';
import { SigningKeysService } from '../src/signing-keys/signing-keys.service.js';
import { unseal } from '../src/signing-keys/sealing.js';

const prefix = uniquePrefix();
const encryptionKey = randomBytes(32);
const env = serviceEnv(prefix, { TOKEN_KEY_ENCRYPTION_KEY: encryptionKey.toString('base64') });
let service: RunningService;
let link: NatsLink;
let rpc: RpcClient;

beforeAll(async () => {
  service = await runService(tokenApp(loadConfig(env)));
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  rpc = new RpcClient(link);
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('token service signing keys', () => {
  it('creates one ES256 key at first start and publishes the JWKS', async () => {
    const jwks = await rpc.request(TokenRpc.jwks, {});
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const published = await kvGet<Jwks>(await openBucket(link, KV_BUCKETS.jwks), JWKS_KEY);
    expect(published).toEqual(jwks);
  });

  it('keeps the private key sealed, and the sealed key signs what the JWKS key verifies', async () => {
    const [row] = await service.app.get(DataSource).getRepository(SigningKeyEntity).find();
    expect(row?.privateKeySealed.toString('latin1')).not.toContain('PRIVATE KEY');
    const privateKey = createPrivateKey({
      key: unseal(encryptionKey, row!.privateKeySealed, row!.kid),
      format: 'der',
      type: 'pkcs8',
    });
    const signature = createSign('SHA256')
      .update('payload')
      .sign({ key: privateKey, dsaEncoding: 'ieee-p1363' });
    const jwk = (await rpc.request(TokenRpc.jwks, {})).keys[0]!;
    const publicKey = createPublicKey({ key: { ...jwk }, format: 'jwk' });
    expect(
      createVerify('SHA256')
        .update('payload')
        .verify({ key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(true);
  });

  it('rotates: the new key signs, the retired one stays in the JWKS', async () => {
    const keys = service.app.get(SigningKeysService);
    expect(await keys.rotateIfDue(new Date())).toBe(false);
    expect(await keys.rotateIfDue(new Date(), true)).toBe(true);
    await keys.publish();
    const jwks = await rpc.request(TokenRpc.jwks, {});
    expect(jwks.keys).toHaveLength(2);
    expect(new Set(jwks.keys.map((k) => k.kid)).size).toBe(2);
  });

  it('refuses a start without the key-encryption key, naming the variable', () => {
    expect(() => loadConfig({ ...env, TOKEN_KEY_ENCRYPTION_KEY: 'short' })).toThrow(
      'TOKEN_KEY_ENCRYPTION_KEY must be the base64 of 32 random bytes',
    );
  });
});
