// Shared fixtures of the verifier and error unit tests: one signer and verifier on the
// platform's Escher parameters at a fixed clock.
import {
  antavoParams,
  EscherError,
  EscherSigner,
  EscherVerifier,
  type EscherErrorReason,
  type EscherParams,
  type EscherRequest,
  type HeaderPair,
  type SignedRequest,
  type SyncKeyLookup,
} from '../src/index.js';

export const NOW = new Date('2024-01-01T12:00:00Z');
export const PARAMS = antavoParams('eu');
/** A clock `offsetSeconds` after NOW. */
export const at = (offsetSeconds: number) => () => new Date(NOW.getTime() + offsetSeconds * 1000);
export const signer = new EscherSigner({
  ...PARAMS,
  accessKeyId: 'AKID',
  key: { secret: 'SECRET' },
  now: at(0),
});
export const verifier = (
  extra: Partial<EscherParams> & { mandatorySignedHeaders?: string[] } = {},
) => new EscherVerifier({ ...PARAMS, now: at(0), ...extra });
export const lookup: SyncKeyLookup = (id) => (id === 'AKID' ? { secret: 'SECRET' } : undefined);

/** A signed POST /v1/events with a JSON body (fields of `request` override the defaults). */
export function signed(request: Partial<EscherRequest> = {}, headersToSign: string[] = []) {
  return signer.sign(
    {
      method: 'POST',
      url: '/v1/events?api=1&b=%20x',
      headers: [
        ['Host', 'api.example.com'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"customer":"c1"}',
      ...request,
    },
    headersToSign,
  ).request;
}

/** `request` with header `name` set to `value` (or removed when undefined). */
export function withHeader(request: SignedRequest, name: string, value?: string): SignedRequest {
  const headers = request.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
  return {
    ...request,
    headers: value === undefined ? headers : [...headers, [name, value] as const],
  };
}

function authOf(request: { headers: readonly HeaderPair[] }): string {
  return request.headers.find(([name]) => name === 'Authorization')?.[1] ?? '';
}

/** The default signed request with `from` replaced by `to` in its auth header. */
export const editAuth = (from: string, to: string) =>
  withHeader(signed(), 'Authorization', authOf(signed()).replace(from, to));

/** The reason and message of the EscherError that `run` throws. */
export function reasonOf(run: () => unknown): [EscherErrorReason, string] | 'no error' {
  try {
    run();
    return 'no error';
  } catch (error) {
    if (!(error instanceof EscherError)) throw error;
    return [error.reason, error.message];
  }
}
