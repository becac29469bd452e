/** Error codes of the management API (docs/errors.md keeps the table of all codes). */
export const ManagementErrorCodes = {
  invalidCredentials: 300401,
  authenticationRequired: 300402,
  csrfMissing: 300403,
  workspaceNotFound: 300404,
  roleRequired: 300405,
  sessionRequired: 300406,
  memberNotFound: 300407,
  tokenNotFound: 300408,
  moduleDisabled: 300409,
  workspaceExists: 300410,
  failedCallNotFound: 300411,
  /** Unknown, used, revoked and expired invitation tokens alike. */
  invitationNotFound: 300412,
  /** The invitation is for an existing account: log in as it to accept. */
  invitationNeedsLogin: 300413,
  /** Signed in as an account other than the invited one. */
  invitationForAnotherAccount: 300414,
  /** A password where none may be set (workspace admins, existing accounts). */
  passwordNotAccepted: 300415,
  /** Too many failed invitation token lookups from one address. */
  invitationLookupsLimited: 300416,
  passwordPolicy: 300422,
  accountLocked: 300423,
  loginRateLimited: 300429,
  routeWithoutRole: 300500,
} as const;
