import { FEATURE_MODULES } from '../app.module.js';
import { controllersOf, routesOf } from './route-table.js';
import { ROUTE_ROLES } from './role.decorator.js';

const routes = controllersOf(FEATURE_MODULES).flatMap(routesOf);
const label = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;

describe('the route table', () => {
  it('is read from the modules', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.map(label)).toContain('PUT /api/workspaces/:ws/modules/:module');
    // one way to switch modules: one per request, never the whole set
    expect(routes.map(label)).not.toContain('PUT /api/workspaces/:ws/modules');
  });

  it('gives every route a declared role', () => {
    const missing = routes.filter((r) => r.role === undefined || !ROUTE_ROLES.includes(r.role));
    expect(missing.map(label)).toEqual([]);
  });

  it('gives every workspace route a workspace role, and workspace roles only to them', () => {
    const wrong = routes.filter((r) => {
      const scoped = r.path.includes('/:ws');
      const workspaceRole = r.role === 'admin' || r.role === 'viewer';
      return scoped ? !(workspaceRole || r.role === 'operator') : workspaceRole;
    });
    expect(wrong.map(label)).toEqual([]);
  });

  it('keeps every workspace route under /api/workspaces/:ws and every route under /api', () => {
    expect(routes.filter((r) => !r.path.startsWith('/api/')).map(label)).toEqual([]);
    const scoped = routes.filter((r) => r.path.includes(':ws'));
    expect(scoped.filter((r) => !r.path.startsWith('/api/workspaces/:ws')).map(label)).toEqual([]);
  });

  it('has no duplicate routes', () => {
    const labels = routes.map(label);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
