import { sign, type KeyObject } from 'node:crypto';
import type { AccessTokenClaims } from '@loyalty-edge/token-contracts';

const headers = new Map<string, string>();

/** The base64url JOSE header of an access token signed by `kid` (computed once per key). */
export function encodedHeader(kid: string): string {
  let header = headers.get(kid);
  if (header === undefined) {
    header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid })).toString(
      'base64url',
    );
    headers.set(kid, header);
  }
  return header;
}

/**
 * A compact JWS (RFC 7515) with ES256: the signature is the raw r || s (64 bytes, RFC 7518
 * §3.4), which node:crypto gives with `dsaEncoding: 'ieee-p1363'` (far faster than WebCrypto).
 */
export function signAccessToken(
  signer: { readonly kid: string; readonly privateKey: KeyObject },
  claims: AccessTokenClaims,
): string {
  const input = `${encodedHeader(signer.kid)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: signer.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}
