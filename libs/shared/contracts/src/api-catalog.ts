/**
 * The endpoint catalog: every API the gateway fronts, as IP filter and signature enforcement see
 * it. Upstream URLs are deployment config (gateway); path prefixes are fixed here.
 */
export interface ApiDescriptor {
  readonly id: string;
  readonly name: string;
  readonly pathPrefixes: readonly string[];
  /** Kept for existing integrations; shown with a LEGACY label. */
  readonly legacy?: boolean;
  /** The name the API had before, shown as "formerly known as …". */
  readonly formerly?: string;
}

export const API_CATALOG = [
  {
    id: 'challenges',
    name: 'Challenges',
    pathPrefixes: ['/challenges'],
    legacy: true,
    formerly: 'Workflow Campaigns API',
  },
  { id: 'clubs', name: 'Clubs', pathPrefixes: ['/clubs'] },
  { id: 'coupons', name: 'Coupons', pathPrefixes: ['/coupons'] },
  { id: 'customer', name: 'Customer', pathPrefixes: ['/customers'] },
  { id: 'display', name: 'Display', pathPrefixes: ['/display'] },
  { id: 'entities', name: 'Entities', pathPrefixes: ['/entities'] },
  { id: 'events', name: 'Events', pathPrefixes: ['/events'] },
  { id: 'faq', name: 'FAQ', pathPrefixes: ['/faq'] },
  { id: 'offers', name: 'Offers', pathPrefixes: ['/offers'] },
  { id: 'rewards', name: 'Rewards', pathPrefixes: ['/rewards'] },
  { id: 'points-preview', name: 'Points preview', pathPrefixes: ['/points/preview'] },
  { id: 'async-events', name: 'Async Events', pathPrefixes: ['/v1/async/events'] },
  { id: 'auth-token', name: 'Token endpoint', pathPrefixes: ['/v1/auth/token'] },
] as const satisfies readonly ApiDescriptor[];

export type ApiId = (typeof API_CATALOG)[number]['id'];

export const API_IDS: readonly ApiId[] = API_CATALOG.map((api) => api.id);

export function isApiId(value: unknown): value is ApiId {
  return typeof value === 'string' && (API_IDS as readonly string[]).includes(value);
}
