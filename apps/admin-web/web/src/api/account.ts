import type {
  AccessTokenView,
  ChangePasswordRequest,
  CreateAccessTokenRequest,
  CreatedAccessToken,
  PasswordChanged,
} from '@loyalty-edge/management-contracts';
import { request } from './client.js';

export type { AccessTokenView, CreatedAccessToken, PasswordChanged };

/** The signed-in admin's own account: password and personal access tokens. */
export const AccountApi = {
  /** Ends the account's other sessions and revokes its access tokens; says how many. */
  changePassword: (currentPassword: string, newPassword: string) =>
    request('PUT', '/me/password', {
      currentPassword,
      newPassword,
    } satisfies ChangePasswordRequest) as Promise<PasswordChanged>,
  accessTokens: () => request('GET', '/tokens') as Promise<AccessTokenView[]>,
  /** The token itself is in the answer, once. */
  createAccessToken: (name: string, expiresAt: string) =>
    request('POST', '/tokens', {
      name,
      expiresAt,
    } satisfies CreateAccessTokenRequest) as Promise<CreatedAccessToken>,
  revokeAccessToken: (id: string) =>
    request('DELETE', `/tokens/${encodeURIComponent(id)}`) as Promise<undefined>,
} as const;
