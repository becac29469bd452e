import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import { ensureStream, kvGet, openBucket } from '@loyalty-edge/nats';
import type { RunningService } from '@loyalty-edge/runtime';
import { within } from '@loyalty-edge/testing';
import {
  JWKS_KEY,
  TokenRpc,
  type CreatedAuthClient,
  type Jwks,
} from '@loyalty-edge/token-contracts';
import { IssuanceService } from '../src/issuance/issuance.service.js';
import { KeyMaintenance } from '../src/signing-keys/key-maintenance.js';
import { KeyRing } from '../src/signing-keys/key-ring.js';
import { SigningKeysService } from '../src/signing-keys/signing-keys.service.js';
import { AUDIENCE, newClient, sql, tokenTest } from './support/token-env.js';

const test = tokenTest({
  TOKEN_KEY_ACTIVATION_DELAY_SECONDS: '2',
  TOKEN_VALIDITY_SECONDS: '300',
  TOKEN_KEY_RETAIN_SECONDS: '300',
});
/** Two replicas of the token service. */
let a: RunningService;
let b: RunningService;
let client: CreatedAuthClient;

beforeAll(async () => {
  await ensureStream(await test.connect(), STREAMS.audit);
  a = await test.start();
  b = await test.start();
  client = await test.rpc.request(TokenRpc.createClient, newClient('ws-keys'));
});

afterAll(() => test.close());

/** A token from this replica, and the kid that signed it. */
async function tokenFrom(service: RunningService): Promise<{ token: string; kid: string }> {
  const issued = await service.app
    .get(IssuanceService)
    .issue({ clientId: client.clientId, clientSecret: client.clientSecret });
  return { token: issued.accessToken, kid: decodeProtectedHeader(issued.accessToken).kid ?? '' };
}

async function verifies(token: string, jwks: Jwks): Promise<boolean> {
  return jwtVerify(token, createLocalJWKSet({ keys: [...jwks.keys] }), {
    issuer: 'https://gw.example.com',
    audience: AUDIENCE,
  }).then(
    () => true,
    () => false,
  );
}

const published = async (): Promise<Jwks | undefined> =>
  kvGet<Jwks>(await openBucket(test.link, KV_BUCKETS.jwks), JWKS_KEY);

let firstKid = '';
let nextKid = '';
let oldToken = '';

describe('signing key rotation across replicas', () => {
  it('starts with one key that signs at once on every replica', async () => {
    const jwks = await test.rpc.request(TokenRpc.jwks, {});
    expect(jwks.keys).toHaveLength(1);
    firstKid = jwks.keys[0]?.kid ?? '';
    const fromA = await tokenFrom(a);
    const fromB = await tokenFrom(b);
    expect([fromA.kid, fromB.kid]).toEqual([firstKid, firstKid]);
    expect(await verifies(fromB.token, jwks)).toBe(true);
    oldToken = fromA.token;
  });

  it('publishes the next key first; the old key signs until the activation, then the new one everywhere', async () => {
    const rotated = await a.app.get(SigningKeysService).rotateIfDue(new Date(), true);
    nextKid = rotated?.kid ?? '';
    expect(b.app.get(KeyRing).kids()).not.toContain(nextKid);
    await a.app.get(KeyMaintenance).run(new Date());
    // the other replica learns the next key from the JWKS watch, before it activates
    const learnedMs = await within(1000, () =>
      Promise.resolve(b.app.get(KeyRing).kids().includes(nextKid)),
    );
    process.stdout.write(
      `replica b held the next key ${learnedMs.toFixed(1)} ms after publishing\n`,
    );
    const activatesAt = rotated?.activatesAt.getTime() ?? 0;
    expect(activatesAt - Date.now()).toBeGreaterThan(1000);

    const jwks = await test.rpc.request(TokenRpc.jwks, {});
    expect(jwks.keys.map((key) => key.kid)).toEqual([nextKid, firstKid]);
    expect(await published()).toEqual(jwks);
    expect(Date.now()).toBeLessThan(activatesAt);
    expect((await tokenFrom(a)).kid).toBe(firstKid);
    expect((await tokenFrom(b)).kid).toBe(firstKid);

    await new Promise((resolve) => setTimeout(resolve, activatesAt - Date.now() + 20));
    const fromA = await tokenFrom(a);
    const fromB = await tokenFrom(b);
    expect([fromA.kid, fromB.kid]).toEqual([nextKid, nextKid]);
    expect(await verifies(fromA.token, jwks)).toBe(true);
    expect(await verifies(fromB.token, jwks)).toBe(true);
    // tokens of the retired key still verify while it is retained
    expect(await verifies(oldToken, jwks)).toBe(true);
  });

  it('drops a retired key from the JWKS once its retention has passed', async () => {
    await sql(
      test,
      `UPDATE $schema.signing_keys SET retired_at = now() - interval '301 seconds' WHERE kid = $1`,
      [firstKid],
    );
    await a.app.get(KeyMaintenance).run(new Date());
    const jwks = await test.rpc.request(TokenRpc.jwks, {});
    expect(jwks.keys.map((key) => key.kid)).toEqual([nextKid]);
    expect(await published()).toEqual(jwks);
    await within(1000, () => Promise.resolve(b.app.get(KeyRing).kids().join() === nextKid));
    expect(await verifies(oldToken, jwks)).toBe(false);
    expect((await tokenFrom(b)).kid).toBe(nextKid);
  });

  it('rotates once when due, even when replicas try together', async () => {
    const later = new Date(Date.now() + 31 * 86_400_000);
    expect(await a.app.get(SigningKeysService).rotateIfDue(new Date())).toBeUndefined();
    const results = await Promise.all([
      a.app.get(SigningKeysService).rotateIfDue(later),
      b.app.get(SigningKeysService).rotateIfDue(later),
    ]);
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    const newest = await sql<{ kid: string }>(
      test,
      'SELECT kid FROM $schema.signing_keys WHERE retired_at IS NULL',
    );
    expect(newest).toHaveLength(1);
  });
});
