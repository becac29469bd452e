import { randomBytes } from 'node:crypto';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import type { RunningService } from '@loyalty-edge/runtime';
import { ServiceTest } from '@loyalty-edge/service-testing';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../src/api-keys/api-key.entity.js';
import { ApiKeysService } from '../src/api-keys/api-keys.service.js';
import { credentialsApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

const oldKek = `old:${randomBytes(32).toString('base64')}`;
const newKek = `new:${randomBytes(32).toString('base64')}`;
const test = new ServiceTest(loadConfig, credentialsApp, { CREDENTIALS_KEK: oldKek });
const actor = { type: 'admin' as const, id: 'a1' };

/** Runs `use` against a replica started with these keys, and stops it again. */
async function withService<T>(
  keks: Record<string, string>,
  use: (service: RunningService) => Promise<T>,
): Promise<T> {
  const service = await test.start(keks);
  try {
    return await use(service);
  } finally {
    await test.stop(service);
  }
}

beforeAll(() => test.connect());
afterAll(() => test.close());

describe('key-encryption key rotation', () => {
  it('re-wraps every secret under the new KEK, after which the old KEK can be removed', async () => {
    const pair = await withService({ CREDENTIALS_KEK: oldKek }, () =>
      test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-rot', actor }),
    );

    // step 1: the new KEK is active, the old one still readable
    await withService(
      { CREDENTIALS_KEK: newKek, CREDENTIALS_PREVIOUS_KEKS: oldKek },
      async (service) => {
        expect(
          (await test.rpc.request(CredentialsRpc.resolveSecret, { apiKey: pair.apiKey }))?.secret,
        ).toBe(pair.apiSecret);
        expect(await service.app.get(ApiKeysService).rotateKek()).toBe(1);
        expect(await service.app.get(ApiKeysService).rotateKek()).toBe(0);
        const rows = await service.app.get(DataSource).getRepository(ApiKeyEntity).find();
        expect(rows.map((row) => row.kekId)).toEqual(['new']);
      },
    );

    // step 2: the old KEK is gone and the secret still opens
    await withService({ CREDENTIALS_KEK: newKek }, async () => {
      expect(
        (await test.rpc.request(CredentialsRpc.resolveSecret, { apiKey: pair.apiKey }))?.secret,
      ).toBe(pair.apiSecret);
    });
  });

  it('cannot open a secret whose KEK was dropped before rotating, and says so without the secret', async () => {
    const pair = await withService({ CREDENTIALS_KEK: oldKek }, () =>
      test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-lost', actor }),
    );
    await withService({ CREDENTIALS_KEK: newKek }, async () => {
      const error = await test.rpc
        .request(CredentialsRpc.resolveSecret, { apiKey: pair.apiKey })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'internal' });
      expect(JSON.stringify(error)).not.toContain(pair.apiSecret);
    });
  });
});
