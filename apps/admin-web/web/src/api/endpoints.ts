import type {
  AuthClientEvent,
  ChangeEvent,
  FailedCallEvent,
  FailedCallSummary,
  KeyUsage,
  Page,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';
import type {
  ApiKeyView,
  GeneratedCredentials,
  OverlappingKey,
} from '@loyalty-edge/credentials-contracts';
import type {
  IpFilterEntry,
  IpFilterList,
  IpFilterLists,
  MergedEntries,
  PreviewResult,
  UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import type {
  AcceptInvitationRequest,
  AcceptedInvitation,
  AddedMember,
  CreateAuthClientRequest,
  CreateWorkspaceRequest,
  GenerateCredentialsRequest,
  InvitationView,
  IpPreviewRequest,
  LoginRequest,
  LoginResult,
  MeView,
  MemberRole,
  MemberView,
  WorkspaceModules,
  WorkspaceView,
} from '@loyalty-edge/management-contracts';
import type { EnforcementSet } from '@loyalty-edge/signature-contracts';
import type {
  AuthClientOptions,
  AuthClientStatus,
  AuthClientView,
  CreatedAuthClient,
} from '@loyalty-edge/token-contracts';
import { request } from './client.js';

export type {
  AcceptedInvitation,
  AddedMember,
  AuthClientEvent,
  AuthClientOptions,
  AuthClientStatus,
  AuthClientView,
  ChangeEvent,
  CreatedAuthClient,
  FailedCallEvent,
  FailedCallSummary,
  InvitationView,
  IpFilterEntry,
  IpFilterList,
  KeyUsage,
  LoginResult,
  MeView,
  MemberRole,
  MemberView,
  MergedEntries,
  OverlappingKey,
  Page,
  PreviewResult,
  TokenEvent,
  UpdateListResult,
  WorkspaceModules,
  WorkspaceView,
};

/** How a client calls the gateway with the workspace's credentials. */
export interface ClientSettings {
  readonly credentialScope: string;
  readonly baseUrl: string;
}

export interface CredentialsView extends ClientSettings {
  readonly active: ApiKeyView | null;
  /** When the credentials were last used and by how many client IPs; null if unknown now. */
  readonly usage: KeyUsage | null;
}

export type NewCredentials = GeneratedCredentials & ClientSettings;

/** One API of the endpoint catalog (`GET /api/apis`). */
export interface ApiEntry {
  readonly id: string;
  readonly name: string;
  /** Kept for existing integrations: shown with a LEGACY label. */
  readonly legacy?: boolean;
  /** The API's former name. */
  readonly formerly?: string;
}

/** Whether the operator switched the policy's module on: settings change only while it is. */
interface ModuleSwitch {
  readonly moduleEnabled: boolean;
}

/** Every API's IP allow-list of a workspace. */
export type IpFilterView = IpFilterLists & ModuleSwitch;

/** The APIs of a workspace on which plain `api_key` requests are refused. */
export type EnforcementView = EnforcementSet & ModuleSwitch;

/** The auth clients of a workspace, newest first, and whether new ones may be generated. */
export interface AuthClientsView extends ModuleSwitch {
  readonly clients: readonly AuthClientView[];
}

/** What the admin fills in for a new auth client (the workspace comes from the path). */
export type NewAuthClient = CreateAuthClientRequest;

/** A log's filters, as the management API takes them in its query: empty ones are left out. */
type Filters = Readonly<Record<string, string | undefined>>;

/** The Authentication Manager's logs, by their path under a workspace's `/audit`. */
export interface AuthLogEvents {
  'auth-clients': AuthClientEvent;
  tokens: TokenEvent;
}
export type AuthLog = keyof AuthLogEvents;

// Every call the app makes, typed by the management API's contracts (see its OpenAPI document);
// the changes that name the revision they were made from (If-Match) are in revisioned.ts.
const ws = (id: string): string => `/workspaces/${encodeURIComponent(id)}`;

function pageQuery(cursor: string | null, filters: Filters = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') query.set(key, value);
  }
  // the same filters go with every page: the cursor only says where the next one starts
  if (cursor !== null) query.set('cursor', cursor);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

const authClient = (id: string, clientId: string): string =>
  `${ws(id)}/auth-clients/${encodeURIComponent(clientId)}`;

export const Api = {
  login: (email: string, password: string) =>
    request('POST', '/auth/login', {
      email,
      password,
    } satisfies LoginRequest) as Promise<LoginResult>,
  logout: () => request('POST', '/auth/logout') as Promise<undefined>,
  me: () => request('GET', '/me') as Promise<MeView>,

  workspaces: () => request('GET', '/workspaces') as Promise<WorkspaceView[]>,
  createWorkspace: (id: string, name: string) =>
    request('POST', '/workspaces', {
      id,
      name,
    } satisfies CreateWorkspaceRequest) as Promise<WorkspaceView>,
  workspace: (id: string) => request('GET', ws(id)) as Promise<WorkspaceView>,

  credentials: (id: string) => request('GET', `${ws(id)}/credentials`) as Promise<CredentialsView>,
  /** `overlapSeconds`: how long the old key keeps working (0: it stops at once). */
  generateCredentials: (id: string, overlapSeconds = 0) =>
    request('POST', `${ws(id)}/credentials`, {
      overlapSeconds,
    } satisfies GenerateCredentialsRequest) as Promise<NewCredentials>,

  invitation: (token: string) =>
    request('GET', `/invitations/${encodeURIComponent(token)}`) as Promise<InvitationView>,
  /** `password` only for a new account; an existing one accepts signed in as itself. */
  acceptInvitation: (token: string, password?: string) =>
    request(
      'POST',
      `/invitations/${encodeURIComponent(token)}/accept`,
      (password === undefined ? {} : { password }) satisfies AcceptInvitationRequest,
    ) as Promise<AcceptedInvitation>,

  failedCalls: (id: string, cursor: string | null, filters: Filters = {}) =>
    request('GET', `${ws(id)}/errors${pageQuery(cursor, filters)}`) as Promise<
      Page<FailedCallSummary>
    >,
  failedCall: (id: string, callId: string) =>
    request('GET', `${ws(id)}/errors/${encodeURIComponent(callId)}`) as Promise<FailedCallEvent>,
  changes: (id: string, cursor: string | null, filters: Filters = {}) =>
    request('GET', `${ws(id)}/audit/changes${pageQuery(cursor, filters)}`) as Promise<
      Page<ChangeEvent>
    >,

  apis: () => request('GET', '/apis') as Promise<ApiEntry[]>,

  authClientOptions: () => request('GET', '/auth-client-options') as Promise<AuthClientOptions>,
  authClients: (id: string) => request('GET', `${ws(id)}/auth-clients`) as Promise<AuthClientsView>,
  createAuthClient: (id: string, client: NewAuthClient) =>
    request('POST', `${ws(id)}/auth-clients`, client) as Promise<CreatedAuthClient>,
  authClient: (id: string, clientId: string) =>
    request('GET', authClient(id, clientId)) as Promise<AuthClientView>,
  revokeAuthClient: (id: string, clientId: string) =>
    request('POST', `${authClient(id, clientId)}/revoke`) as Promise<AuthClientView>,
  authLog: <L extends AuthLog>(id: string, log: L, cursor: string | null, filters: Filters = {}) =>
    request('GET', `${ws(id)}/audit/${log}${pageQuery(cursor, filters)}`) as Promise<
      Page<AuthLogEvents[L]>
    >,

  ipFilter: (id: string) => request('GET', `${ws(id)}/ip-filter`) as Promise<IpFilterView>,
  previewIpList: (id: string, api: string, entries: readonly string[], days = 7) =>
    request('POST', `${ws(id)}/ip-filter/${encodeURIComponent(api)}/preview`, {
      entries,
      days,
    } satisfies IpPreviewRequest) as Promise<PreviewResult>,

  signatureEnforcement: (id: string) =>
    request('GET', `${ws(id)}/signature-enforcement`) as Promise<EnforcementView>,
} as const;
