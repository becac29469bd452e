// Loads the shared Escher test vectors (see <repo>/../shared/conformance/escher/SOURCE.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CaseKind = 'sign-ok' | 'sign-error' | 'presign-ok' | 'validate-ok' | 'validate-error';

export interface CaseConfig {
  readonly algoPrefix?: string;
  readonly vendorKey?: string;
  readonly hashAlgo?: 'SHA256' | 'SHA512';
  readonly credentialScope?: string;
  readonly authHeaderName?: string;
  readonly dateHeaderName?: string;
  readonly clockSkew?: number;
  /** The clock of the case ("now"). */
  readonly date: string;
  readonly accessKeyId?: string;
  readonly apiSecret?: string;
}

export interface CaseRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: [string, string][];
  readonly body?: string;
  readonly expires?: number;
}

export interface ConformanceCase {
  /** Path relative to the conformance folder, e.g. `test_cases/signrequest-error-invalid-request-url.json`. */
  readonly file: string;
  readonly kind: CaseKind;
  readonly config: CaseConfig;
  readonly request: CaseRequest;
  readonly headersToSign?: string[];
  /** Deliberately unknown: the ducktype cases give a string or numbers. */
  readonly mandatorySignedHeaders?: unknown;
  readonly keyDb?: [string, string][];
  readonly expected: {
    readonly error?: string;
    readonly request?: CaseRequest;
    readonly canonicalizedRequest?: string;
    readonly stringToSign?: string;
    readonly authHeader?: string;
    readonly url?: string;
    readonly apiKey?: string;
  };
}

/** The folders SOURCE.md lists (`.conflict/` is skipped on purpose, like escher-js does). */
export const CASE_FOLDERS = ['aws4_testsuite', 'emarsys_testsuite', 'test_cases', 'ducktype_cases'];

/**
 * `<repo root>/../shared/conformance/escher`. The repo root is the nearest folder above this
 * file holding `nx.json`, so it works wherever the repo is cloned, as long as `shared/` is beside it.
 */
export function conformanceDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repo root (nx.json) not found above the escher tests');
    dir = parent;
  }
  const folder = join(dir, '..', 'shared', 'conformance', 'escher');
  if (!existsSync(folder)) throw new Error(`Escher conformance vectors not found at ${folder}`);
  return folder;
}

export interface ConformanceSuite {
  readonly dir: string;
  /** Every `*.json` file of {@link CASE_FOLDERS}. */
  readonly files: readonly string[];
  readonly cases: readonly ConformanceCase[];
}

export function loadConformanceSuite(): ConformanceSuite {
  const dir = conformanceDir();
  const files = CASE_FOLDERS.flatMap((folder) => {
    const path = join(dir, folder);
    if (!existsSync(path)) throw new Error(`conformance folder ${folder} is missing`);
    return readdirSync(path)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => join(path, name));
  });
  const cases = files.map((path) => {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Omit<ConformanceCase, 'file' | 'kind'>;
    return { ...raw, file: relative(dir, path), kind: kindOf(path, raw.expected.error) };
  });
  return { dir, files, cases };
}

/** The file name prefix gives the operation, `expected.error` the outcome (SOURCE.md §2). */
function kindOf(path: string, error: string | undefined): CaseKind {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const failing = error !== undefined;
  if (name.startsWith('signrequest-')) return failing ? 'sign-error' : 'sign-ok';
  if (name.startsWith('presignurl-') && !failing) return 'presign-ok';
  if (name.startsWith('authenticate-')) return failing ? 'validate-error' : 'validate-ok';
  throw new Error(`unknown conformance case kind: ${path}`);
}

/** escher-js's comparison of header lists: lower-cased names, repeats joined by `,`, sorted. */
export function normalizeHeaderList(headers: readonly (readonly [string, string])[]): string[] {
  const joined = new Map<string, string>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const previous = joined.get(key);
    joined.set(key, previous === undefined ? value : `${previous},${value}`);
  }
  return [...joined].map(([name, value]) => `${name}:${value}`).sort();
}
