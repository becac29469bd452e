import type {
  AuthClientEvent,
  ChangeEvent,
  FailedCallEvent,
  FailedCallSummary,
  Page,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';
import type { ApiKeyView, GeneratedCredentials } from '@loyalty-edge/credentials-contracts';
import type {
  IpFilterEntry,
  IpFilterList,
  IpFilterLists,
  MergedEntries,
  PreviewResult,
  UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import type {
  AcceptedInvitation,
  AddedMember,
  InvitationView,
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
  LoginResult,
  MeView,
  MemberRole,
  MemberView,
  MergedEntries,
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
}

export type NewCredentials = GeneratedCredentials & ClientSettings;

/** One API of the endpoint catalog (`GET /api/apis`). */
export interface ApiEntry {
  readonly id: string;
  readonly name: string;
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
export interface NewAuthClient {
  readonly name: string;
  readonly purpose: string;
  readonly expiresAt: string;
  readonly scopes: readonly string[];
  readonly audience: string;
}

/** Filters of the two auth audit logs: `from <= at < to` (ISO), and one field filter each. */
export interface AuthClientEventFilters {
  readonly clientId?: string;
  readonly action?: AuthClientEvent['action'];
  readonly from?: string;
  readonly to?: string;
}

export interface TokenEventFilters {
  readonly clientId?: string;
  readonly outcome?: TokenEvent['outcome'];
  readonly from?: string;
  readonly to?: string;
}

// Every call the app makes, typed by the management API's contracts (see its OpenAPI document);
// the changes that name the revision they were made from (If-Match) are in revisioned.ts.
const ws = (id: string): string => `/workspaces/${encodeURIComponent(id)}`;

function pageQuery(
  cursor: string | null,
  filters: Readonly<Record<string, string | undefined>> = {},
): string {
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
    request('POST', '/auth/login', { email, password }) as Promise<LoginResult>,
  logout: () => request('POST', '/auth/logout') as Promise<undefined>,
  me: () => request('GET', '/me') as Promise<MeView>,

  workspaces: () => request('GET', '/workspaces') as Promise<WorkspaceView[]>,
  createWorkspace: (id: string, name: string) =>
    request('POST', '/workspaces', { id, name }) as Promise<WorkspaceView>,
  workspace: (id: string) => request('GET', ws(id)) as Promise<WorkspaceView>,

  credentials: (id: string) => request('GET', `${ws(id)}/credentials`) as Promise<CredentialsView>,
  generateCredentials: (id: string) =>
    request('POST', `${ws(id)}/credentials`) as Promise<NewCredentials>,

  invitation: (token: string) =>
    request('GET', `/invitations/${encodeURIComponent(token)}`) as Promise<InvitationView>,
  /** `password` only for a new account; an existing one accepts signed in as itself. */
  acceptInvitation: (token: string, password?: string) =>
    request(
      'POST',
      `/invitations/${encodeURIComponent(token)}/accept`,
      password === undefined ? {} : { password },
    ) as Promise<AcceptedInvitation>,

  failedCalls: (id: string, cursor: string | null) =>
    request('GET', `${ws(id)}/errors${pageQuery(cursor)}`) as Promise<Page<FailedCallSummary>>,
  failedCall: (id: string, callId: string) =>
    request('GET', `${ws(id)}/errors/${encodeURIComponent(callId)}`) as Promise<FailedCallEvent>,
  changes: (id: string, cursor: string | null) =>
    request('GET', `${ws(id)}/audit/changes${pageQuery(cursor)}`) as Promise<Page<ChangeEvent>>,

  apis: () => request('GET', '/apis') as Promise<ApiEntry[]>,

  authClientOptions: () => request('GET', '/auth-client-options') as Promise<AuthClientOptions>,
  authClients: (id: string) => request('GET', `${ws(id)}/auth-clients`) as Promise<AuthClientsView>,
  createAuthClient: (id: string, client: NewAuthClient) =>
    request('POST', `${ws(id)}/auth-clients`, client) as Promise<CreatedAuthClient>,
  authClient: (id: string, clientId: string) =>
    request('GET', authClient(id, clientId)) as Promise<AuthClientView>,
  revokeAuthClient: (id: string, clientId: string) =>
    request('POST', `${authClient(id, clientId)}/revoke`) as Promise<AuthClientView>,
  authClientEvents: (id: string, cursor: string | null, filters: AuthClientEventFilters) =>
    request('GET', `${ws(id)}/audit/auth-clients${pageQuery(cursor, { ...filters })}`) as Promise<
      Page<AuthClientEvent>
    >,
  tokenEvents: (id: string, cursor: string | null, filters: TokenEventFilters) =>
    request('GET', `${ws(id)}/audit/tokens${pageQuery(cursor, { ...filters })}`) as Promise<
      Page<TokenEvent>
    >,

  ipFilter: (id: string) => request('GET', `${ws(id)}/ip-filter`) as Promise<IpFilterView>,
  previewIpList: (id: string, api: string, entries: readonly string[], days = 7) =>
    request('POST', `${ws(id)}/ip-filter/${encodeURIComponent(api)}/preview`, {
      entries,
      days,
    }) as Promise<PreviewResult>,

  signatureEnforcement: (id: string) =>
    request('GET', `${ws(id)}/signature-enforcement`) as Promise<EnforcementView>,
} as const;
