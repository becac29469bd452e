/** Modules an operator switches on per workspace. */
export interface WorkspaceModules {
  readonly ipFilter: boolean;
  readonly signatureCheck: boolean;
  readonly asyncEvents: boolean;
}

/** The `workspaces` KV record (key = workspace id) the gateway reads module state from. */
export interface WorkspaceRecord {
  readonly id: string;
  readonly name: string;
  readonly modules: WorkspaceModules;
  /**
   * Requests per minute per API key and per auth client of the workspace, set by an operator;
   * absent: the gateways' default (RATE_LIMIT_DEFAULT_PER_MINUTE); 0: no limit.
   */
  readonly rateLimit?: WorkspaceRateLimit;
}

export interface WorkspaceRateLimit {
  readonly requestsPerMinute: number;
}

export type ModuleKey = keyof WorkspaceModules;

/** The modules, as `PUT /api/workspaces/{ws}/modules/{module}` names them. */
export const MODULE_KEYS: readonly ModuleKey[] = ['ipFilter', 'signatureCheck', 'asyncEvents'];

export function isModuleKey(value: unknown): value is ModuleKey {
  return typeof value === 'string' && (MODULE_KEYS as readonly string[]).includes(value);
}

export const NO_MODULES: WorkspaceModules = {
  ipFilter: false,
  signatureCheck: false,
  asyncEvents: false,
};

/** Workspace ids are slugs: lowercase letters, digits and dashes, 3 to 40 characters. */
export const WORKSPACE_ID = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;
