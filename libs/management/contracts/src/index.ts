export {
  isModuleKey,
  MODULE_KEYS,
  NO_MODULES,
  WORKSPACE_ID,
  type ModuleKey,
  type WorkspaceModules,
  type WorkspaceRateLimit,
  type WorkspaceRecord,
} from './workspaces.js';
export {
  ACCESS_TOKEN_PREFIX,
  CSRF_HEADER,
  MEMBER_ROLES,
  REQUEST_ID_HEADER,
  SESSION_COOKIE,
  type MemberRole,
  type WorkspaceRole,
} from './access.js';
export type {
  AcceptedInvitation,
  AccessTokenView,
  AddedMember,
  AdminView,
  CreatedAccessToken,
  InvitationLink,
  InvitationView,
  LoginResult,
  MeView,
  MembersRevision,
  MemberStatus,
  MemberView,
  PasswordChanged,
  WorkspaceView,
} from './views.js';
export { ManagementErrorCodes } from './errors.js';
