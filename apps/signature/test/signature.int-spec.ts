import Escher from 'escher-auth';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { AppError } from '@loyalty-edge/errors';
import { antavoParams, EscherVerifier, toShortDate } from '@loyalty-edge/escher';
import { kvGet, openBucket } from '@loyalty-edge/nats';
import { ServiceTest } from '@loyalty-edge/service-testing';
import { SignatureRpc, type EnforcementRecord } from '@loyalty-edge/signature-contracts';
import { signatureApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

const test = new ServiceTest(loadConfig, signatureApp, {
  ESCHER_CREDENTIAL_SCOPE: 'eu/api/antavo_request',
});
const secret = 'les_test-secret-that-only-credentials-knows';
const actor = { type: 'admin' as const, id: 'a1', email: 'a@example.com' };

beforeAll(async () => {
  const link = await test.connect();
  // stands in for the credentials service on this test's prefix
  link.connection.subscribe(link.subject(CredentialsRpc.resolveSecret.subject), {
    callback: (_error, message) => {
      const { apiKey } = message.json<{ apiKey: string }>();
      const ok = apiKey === 'lek_known' ? { workspaceId: 'ws-1', secret } : null;
      message.respond(JSON.stringify({ ok }));
    },
  });
  await test.start();
});

afterAll(() => test.close());

describe('signature service', () => {
  it('replaces the enforcement set and pushes it to the gateway', async () => {
    const first = await test.rpc.request(SignatureRpc.setEnforcement, {
      workspaceId: 'ws-1',
      apis: ['events', 'customer'],
      expectedRevision: 0,
      actor,
    });
    expect(first).toMatchObject({
      apis: ['customer', 'events'],
      before: [],
      updatedBy: 'a@example.com',
    });
    const second = await test.rpc.request(SignatureRpc.setEnforcement, {
      workspaceId: 'ws-1',
      apis: ['events'],
      expectedRevision: first.revision,
      actor,
    });
    expect(second.before).toEqual(['customer', 'events']);
    expect(
      await test.rpc.request(SignatureRpc.getEnforcement, { workspaceId: 'ws-1' }),
    ).toMatchObject({
      apis: ['events'],
    });
    const record = await kvGet<EnforcementRecord>(
      await openBucket(test.link, KV_BUCKETS.signatureEnforcement),
      'ws-1',
    );
    expect(record).toEqual({ workspaceId: 'ws-1', apis: ['events'], revision: 2 });
  });

  it('applies a change only from the current revision, answering the current set otherwise', async () => {
    const request = { workspaceId: 'ws-cas', apis: ['events'], actor };
    const firsts = await Promise.allSettled(
      ['events', 'customer', 'clubs'].map((api) =>
        test.rpc.request(SignatureRpc.setEnforcement, {
          ...request,
          apis: [api],
          expectedRevision: 0,
        }),
      ),
    );
    const applied = firsts.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(applied).toHaveLength(1);
    const stale = await test.rpc
      .request(SignatureRpc.setEnforcement, { ...request, expectedRevision: 0 })
      .catch((caught: unknown) => caught);
    expect(stale).toMatchObject({
      kind: 'precondition_failed',
      code: 100412,
      details: { revision: 1, current: { apis: applied[0]?.apis, revision: 1 } },
    });
    await expect(
      test.rpc.request(SignatureRpc.setEnforcement, { ...request, apis: [], expectedRevision: 1 }),
    ).resolves.toMatchObject({ apis: [], revision: 2 });
  });

  it('refuses unknown APIs, listing each, and keeps the old set', async () => {
    const error = await test.rpc
      .request(SignatureRpc.setEnforcement, {
        workspaceId: 'ws-1',
        apis: ['events', 'nope', 'Events'],
        expectedRevision: 2,
        actor,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details?.fields?.map((f) => f.field)).toEqual([
      'apis[1]',
      'apis[2]',
    ]);
    expect(
      (await test.rpc.request(SignatureRpc.getEnforcement, { workspaceId: 'ws-1' })).apis,
    ).toEqual(['events']);
  });

  it('derives a day key that verifies what escher-auth signed with the secret', async () => {
    const shortDate = toShortDate(Date.now());
    const derived = await test.rpc.request(SignatureRpc.deriveKey, {
      apiKey: 'lek_known',
      shortDate,
      hashAlgo: 'SHA256',
    });
    expect(derived?.workspaceId).toBe('ws-1');
    expect(JSON.stringify(derived)).not.toContain(secret);
    const client = new Escher({
      ...antavoParams('eu'),
      accessKeyId: 'lek_known',
      apiSecret: secret,
    });
    const body = JSON.stringify({ customer: 'c1', action: 'opt_in', data: {} });
    const signed = client.signRequest(
      {
        method: 'POST',
        url: '/events?x=1',
        headers: [
          ['Host', 'gw.example.com'],
          ['Content-Type', 'application/json'],
        ],
      },
      body,
    );
    const verifier = new EscherVerifier(antavoParams('eu'));
    const signingKey = new Uint8Array(Buffer.from(derived!.signingKey, 'base64'));
    expect(verifier.authenticate({ ...signed, body }, () => ({ signingKey }))).toBe('lek_known');
  });

  it('answers null for an inactive key and refuses far dates', async () => {
    const today = toShortDate(Date.now());
    expect(
      await test.rpc.request(SignatureRpc.deriveKey, {
        apiKey: 'lek_other',
        shortDate: today,
        hashAlgo: 'SHA256',
      }),
    ).toBeNull();
    const old = toShortDate(Date.now() - 3 * 86_400_000);
    await expect(
      test.rpc.request(SignatureRpc.deriveKey, {
        apiKey: 'lek_known',
        shortDate: old,
        hashAlgo: 'SHA256',
      }),
    ).rejects.toMatchObject({ kind: 'invalid', code: 130400 });
    await expect(
      test.rpc.request(SignatureRpc.deriveKey, {
        apiKey: 'lek_known',
        shortDate: 'today',
        hashAlgo: 'MD5',
      } as never),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });
});
