/** Every process of the platform, in start order, with its ports. */
export interface AppSpec {
  readonly name: string;
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

const entry = (app: string): string => `apps/${app}/dist/main.js`;

export function platformApps(ports: Ports): AppSpec[] {
  return [
    { name: 'credentials', entry: entry('credentials'), port: ports.credentials, migrates: true },
    { name: 'ip-filter', entry: entry('ip-filter'), port: ports.ipFilter, migrates: true },
    { name: 'signature', entry: entry('signature'), port: ports.signature, migrates: true },
    { name: 'token', entry: entry('token'), port: ports.token, migrates: true },
    { name: 'audit', entry: entry('audit'), port: ports.audit, migrates: true },
    { name: 'loyalty-api', entry: entry('loyalty-api'), port: ports.loyalty, migrates: true },
    {
      name: 'management-api',
      entry: entry('management-api'),
      port: ports.management,
      migrates: true,
    },
    { name: 'gateway', entry: entry('gateway'), port: ports.gatewayMetrics, migrates: false },
    { name: 'admin-web', entry: entry('admin-web'), port: ports.adminWeb, migrates: false },
  ];
}
