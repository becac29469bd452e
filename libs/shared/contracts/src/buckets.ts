/**
 * JetStream key-value buckets and streams (names without the deployment prefix). Each bucket has
 * one owning service that writes it; gateways watch them (docs/architecture.md).
 */
export const KV_BUCKETS = {
  /** credentials → gateway: api key → public record. */
  apiKeys: 'api_keys',
  /** workspace admin state → gateway: workspace id → modules. */
  workspaces: 'workspaces',
  /** ip-filter → gateway: workspace id → per-API allow-lists. */
  ipFilters: 'ip_filters',
  /** signature → gateway: workspace id → APIs with enforcement on. */
  signatureEnforcement: 'signature_enforcement',
  /** token → gateway: the public signing keys (JWKS, key `current`) and the issuer's settings (`issuer`). */
  jwks: 'jwks',
  /** token → gateway (and token replicas): client id → workspace, status, expiry. */
  authClients: 'auth_clients',
} as const;

export type KvBucket = (typeof KV_BUCKETS)[keyof typeof KV_BUCKETS];

export const STREAMS = {
  /** Audit events and failed-call records; consumed by the audit service. */
  audit: { name: 'AUDIT', subjects: 'audit.*.recorded' },
} as const;
