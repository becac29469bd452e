// Property: whatever the gateway routes to API X, the path a lenient upstream resolves from it
// (percent-decoding again and again, `;` parameters removed, backslashes as slashes, slashes
// merged, dot segments resolved) is still under one of X's prefixes. Paths are built from the
// pieces traversal tricks are made of; past counterexamples are kept in the seed corpus.
import fc from 'fast-check';
import { API_CATALOG, type ApiId } from '@loyalty-edge/contracts';
import { UNSAFE_PATH_SEEDS } from '../../test/support/path-seeds.js';
import { ApiRouter, UNSAFE_PATH } from './api-router.js';

const upstreams = Object.fromEntries(
  API_CATALOG.map((a) => [a.id, 'http://127.0.0.1:3201']),
) as Record<ApiId, string>;
const router = new ApiRouter(upstreams);

/** Percent-decoding byte by byte (a lenient server's), without failing on bad escapes. */
const decodeOnce = (path: string): string =>
  path.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The path an upstream that normalises as much as nginx and Tomcat together would serve. */
function resolvedByUpstream(path: string): string {
  let current = path;
  for (let round = 0; round < 8; round += 1) {
    const decoded = decodeOnce(current);
    if (decoded === current) break;
    current = decoded;
  }
  const out: string[] = [];
  for (const raw of current.replace(/\\/g, '/').split('/').slice(1)) {
    const segment = raw.split(';', 1)[0] ?? '';
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

function under(path: string, id: ApiId): boolean {
  const api = API_CATALOG.find((entry) => entry.id === id);
  return (api?.pathPrefixes ?? []).some(
    (prefix) => path === prefix || path.startsWith(`${prefix}/`),
  );
}

/** true when the gateway refuses the path, routes it nowhere, or an upstream stays in its API. */
function staysInItsApi(path: string): boolean {
  const api = router.routeSafely(path);
  if (api === UNSAFE_PATH || api === undefined) return true;
  return under(resolvedByUpstream(path), api.id);
}

const prefixArb = fc.constantFrom(...API_CATALOG.flatMap((api) => api.pathPrefixes));
const pieceArb = fc.constantFrom(
  '/',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%25',
  '%252e',
  '%252f',
  '%5c',
  '\\',
  ';',
  '%3b',
  ';x=1',
  'a',
  'b.c',
  ' ',
  '%20',
  '%00',
  '%c0%ae',
  'events',
  'customers',
  'v1',
  'auth',
  'token',
);
const pathArb = fc
  .tuple(prefixArb, fc.array(pieceArb, { maxLength: 14 }))
  .map(([prefix, pieces]) => `${prefix}${pieces.join('')}`);

describe('gateway routing against upstream path resolution', () => {
  it('never routes a path to an API that an upstream would resolve outside it', () => {
    fc.assert(fc.property(pathArb, staysInItsApi), { numRuns: 20_000 });
  });

  it.each(UNSAFE_PATH_SEEDS)('holds for the kept seed %s', (path) => {
    expect(staysInItsApi(path)).toBe(true);
    expect(router.routeSafely(path)).toBe(UNSAFE_PATH);
  });
});
