// What the gateway scenarios (overhead, scale) share: wrk's load, the upstream with the bare Node
// proxy in front of it, the platform whose gateway forwards to that upstream, and the workspace
// of scenario (d): IP allow-list and signature enforcement on the Customer API, a presigned GET.
import Escher from 'escher-auth';
import { freePort, platform, quick, startNode, waitFor } from './common.mjs';

/**
 * wrk's load per run; BENCH_SECONDS, BENCH_ROUNDS and BENCH_CONNECTIONS override it.
 * @param {{ fullRounds: number }} options the rounds of a full (not BENCH_QUICK) run
 */
export function loadSettings({ fullRounds }) {
  return {
    seconds: Number(process.env.BENCH_SECONDS ?? (quick ? 2 : 10)),
    rounds: Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : fullRounds)),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
  };
}

/** `upstream.mjs` and the bare Node proxy in front of it (the baseline), both answering. */
export async function startUpstreamAndBareProxy() {
  const upstreamPort = await freePort();
  const barePort = await freePort();
  startNode('bench/gateway/upstream.mjs', { PORT: String(upstreamPort) });
  const bare = startNode('bench/gateway/bare-proxy.mjs', {
    PORT: String(barePort),
    UPSTREAM: `http://127.0.0.1:${upstreamPort}`,
  });
  await waitFor(`http://127.0.0.1:${upstreamPort}/`);
  await waitFor(`http://127.0.0.1:${barePort}/`);
  return { upstreamPort, bare: { url: `http://127.0.0.1:${barePort}`, pid: bare.pid } };
}

/**
 * The platform, its gateway forwarding to the upstream on `upstreamPort`. The per-key rate limit
 * counts every request, at a limit never reached.
 * @param {number} upstreamPort
 */
export function startGatewayPlatform(upstreamPort) {
  return platform({
    env: {
      UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${upstreamPort}`,
      RATE_LIMIT_DEFAULT_PER_MINUTE: '1000000000',
    },
  });
}

/**
 * Workspace `signed`: the IP filter with `allowList` and signature enforcement, both on the
 * Customer API. Returns its credentials and a presigned Escher GET of `/customers/c1` on
 * `gateway`, valid for two hours so wrk can replay it for a whole run (the gateway caps expiry
 * at a day).
 * @param {import('./common.mjs').Management} admin
 * @param gateway the gateway's base URL
 * @param {string[]} allowList
 */
export async function signedWorkspace(admin, gateway, allowList) {
  await admin.ok('POST', '/api/workspaces', { id: 'signed', name: 'Signed' });
  const credentials = (await admin.ok('POST', '/api/workspaces/signed/credentials')).body;
  await admin.switchModules('signed', { ipFilter: true, signatureCheck: true });
  const listPath = '/api/workspaces/signed/ip-filter/customer';
  await admin.ok(
    'PUT',
    listPath,
    { entries: allowList },
    { 'if-match': await admin.etag(listPath) },
  );
  const enforcementPath = '/api/workspaces/signed/signature-enforcement';
  await admin.ok(
    'PUT',
    enforcementPath,
    { apis: ['customer'] },
    { 'if-match': await admin.etag(enforcementPath) },
  );
  const escher = new Escher({
    algoPrefix: 'ANTAVO',
    vendorKey: 'Antavo',
    hashAlgo: 'SHA256',
    credentialScope: 'eu/api/antavo_request',
    authHeaderName: 'Authorization',
    dateHeaderName: 'Date',
    accessKeyId: credentials.apiKey,
    apiSecret: credentials.apiSecret,
  });
  return { credentials, presignedUrl: escher.preSignUrl(`${gateway}/customers/c1`, 7200) };
}
