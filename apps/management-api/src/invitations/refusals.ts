import { AppError } from '@loyalty-edge/errors';
import { ManagementErrorCodes } from '@loyalty-edge/management-contracts';
import type { AdminEntity } from '../accounts/admin.entity.js';
import type { Principal } from '../access/principal.js';

/** Why an invitation for an existing account was not accepted (kept in the change log). */
export type RefusalReason =
  | 'not-signed-in'
  | 'password-for-existing-account'
  | 'access-token'
  | 'signed-in-as-another-account';

export interface Refusal {
  readonly reason: RefusalReason;
  readonly error: AppError;
}

const NOT_YOURS =
  'If you never created that account, do not accept: someone else may have created it for your email; tell the admin who invited you.';

/**
 * An invitation for an existing account is accepted only by that account, signed in with a
 * session: never by setting a password (that would hand the account to whoever holds the
 * link), never silently for whoever is signed in. Undefined: accept.
 */
export function refusalFor(
  account: AdminEntity,
  password: string | undefined,
  invitee: Principal | undefined,
): Refusal | undefined {
  if (!invitee) {
    const passwordNote =
      password === undefined ? '' : ' A password is not set through an invitation.';
    return {
      reason: password === undefined ? 'not-signed-in' : 'password-for-existing-account',
      error: new AppError(
        'unauthenticated',
        ManagementErrorCodes.invitationNeedsLogin,
        `An account with this email exists: log in as ${account.email} to accept this invitation.${passwordNote} ${NOT_YOURS}`,
      ),
    };
  }
  if (invitee.via !== 'session') {
    return {
      reason: 'access-token',
      error: new AppError(
        'forbidden',
        ManagementErrorCodes.sessionRequired,
        'Invitations are accepted from a signed-in session, not with an access token',
      ),
    };
  }
  if (invitee.adminId !== account.id) {
    return {
      reason: 'signed-in-as-another-account',
      error: new AppError(
        'forbidden',
        ManagementErrorCodes.invitationForAnotherAccount,
        `This invitation is for another account: log out, then log in as ${account.email} to accept it`,
      ),
    };
  }
  if (password !== undefined) {
    return {
      reason: 'password-for-existing-account',
      error: new AppError(
        'invalid',
        ManagementErrorCodes.passwordNotAccepted,
        'Your account has a password already: accept without one',
        { fields: [{ field: 'password', message: 'is not accepted for an existing account' }] },
      ),
    };
  }
  return undefined;
}
