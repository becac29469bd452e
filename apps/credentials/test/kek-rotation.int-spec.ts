import { randomBytes } from 'node:crypto';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { NatsLink, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../src/api-keys/api-key.entity.js';
import { ApiKeysService } from '../src/api-keys/api-keys.service.js';
import { credentialsApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

const prefix = uniquePrefix();
const oldKek = `old:${randomBytes(32).toString('base64')}`;
const newKek = `new:${randomBytes(32).toString('base64')}`;
const actor = { type: 'admin' as const, id: 'a1' };

async function withService<T>(
  keks: Record<string, string>,
  use: (service: RunningService, rpc: RpcClient) => Promise<T>,
): Promise<T> {
  const config = loadConfig(serviceEnv(prefix, keks));
  const service = await runService(credentialsApp(config));
  const link = await NatsLink.open(config.common.nats, 'test');
  try {
    return await use(service, new RpcClient(link));
  } finally {
    await link.close();
    await service.close();
  }
}

afterAll(async () => {
  await cleanUp(prefix);
});

describe('key-encryption key rotation', () => {
  it('re-wraps every secret under the new KEK, after which the old KEK can be removed', async () => {
    const pair = await withService({ CREDENTIALS_KEK: oldKek }, (_service, rpc) =>
      rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-rot', actor }),
    );

    // step 1: the new KEK is active, the old one still readable
    await withService(
      { CREDENTIALS_KEK: newKek, CREDENTIALS_PREVIOUS_KEKS: oldKek },
      async (service, rpc) => {
        expect(
          (await rpc.request(CredentialsRpc.resolveSecret, { apiKey: pair.apiKey }))?.secret,
        ).toBe(pair.apiSecret);
        expect(await service.app.get(ApiKeysService).rotateKek()).toBe(1);
        expect(await service.app.get(ApiKeysService).rotateKek()).toBe(0);
        const rows = await service.app.get(DataSource).getRepository(ApiKeyEntity).find();
        expect(rows.map((row) => row.kekId)).toEqual(['new']);
      },
    );

    // step 2: the old KEK is gone and the secret still opens
    await withService({ CREDENTIALS_KEK: newKek }, async (_service, rpc) => {
      expect(
        (await rpc.request(CredentialsRpc.resolveSecret, { apiKey: pair.apiKey }))?.secret,
      ).toBe(pair.apiSecret);
    });
  });

  it('cannot open a secret whose KEK was dropped before rotating, and says so without the secret', async () => {
    const pair = await withService({ CREDENTIALS_KEK: oldKek }, (_service, rpc) =>
      rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-lost', actor }),
    );
    await withService({ CREDENTIALS_KEK: newKek }, async (_service, rpc) => {
      const error = await rpc
        .request(CredentialsRpc.resolveSecret, { apiKey: pair.apiKey })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'internal' });
      expect(JSON.stringify(error)).not.toContain(pair.apiSecret);
    });
  });
});
