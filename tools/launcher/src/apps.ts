import { PLATFORM_APPS, type AppName } from '@loyalty-edge/contracts';

/** Every process of the platform, in start order, with its ports. */
export interface AppSpec {
  readonly name: AppName;
  /** Entry point relative to the repository root. */
  readonly entry: string;
  /** Port of /healthz, /readyz and /metrics. */
  readonly port: number;
  readonly migrates: boolean;
}

export interface Ports {
  readonly gateway: number;
  readonly gatewayMetrics: number;
  readonly management: number;
  readonly adminWeb: number;
  readonly credentials: number;
  readonly ipFilter: number;
  readonly signature: number;
  readonly token: number;
  readonly audit: number;
  readonly loyalty: number;
}

export const DEFAULT_PORTS: Ports = {
  gateway: 8080,
  gatewayMetrics: 9080,
  management: 8081,
  adminWeb: 8082,
  credentials: 3101,
  ipFilter: 3102,
  signature: 3103,
  token: 3104,
  audit: 3106,
  loyalty: 3201,
};

/** The port of an app's /healthz, /readyz and /metrics. */
function portOf(app: AppName, ports: Ports): number {
  switch (app) {
    case 'credentials':
      return ports.credentials;
    case 'ip-filter':
      return ports.ipFilter;
    case 'signature':
      return ports.signature;
    case 'token':
      return ports.token;
    case 'audit':
      return ports.audit;
    case 'loyalty-api':
      return ports.loyalty;
    case 'management-api':
      return ports.management;
    case 'gateway':
      return ports.gatewayMetrics;
    case 'admin-web':
      return ports.adminWeb;
  }
}

export function platformApps(ports: Ports): AppSpec[] {
  return PLATFORM_APPS.map((app) => ({
    name: app.name,
    entry: `apps/${app.name}/dist/main.js`,
    port: portOf(app.name, ports),
    migrates: app.database,
  }));
}
