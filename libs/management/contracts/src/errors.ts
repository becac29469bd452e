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
  passwordPolicy: 300422,
  accountLocked: 300423,
  loginRateLimited: 300429,
  routeWithoutRole: 300500,
} as const;
