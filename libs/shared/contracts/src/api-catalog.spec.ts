import { API_CATALOG, isApiId, type ApiDescriptor } from './api-catalog.js';

describe('API_CATALOG', () => {
  it('has unique ids and prefixes', () => {
    const ids = API_CATALOG.map((api) => api.id);
    const prefixes = API_CATALOG.flatMap((api) => api.pathPrefixes);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('marks the legacy API with its former name', () => {
    const legacy: readonly ApiDescriptor[] = API_CATALOG.filter(
      (api: ApiDescriptor) => api.legacy === true,
    );
    expect(legacy.map(({ id, formerly }) => ({ id, formerly }))).toEqual([
      { id: 'challenges', formerly: 'Workflow Campaigns API' },
    ]);
  });

  it('recognises catalog ids only', () => {
    expect(isApiId('events')).toBe(true);
    expect(isApiId('Events')).toBe(false);
  });
});
