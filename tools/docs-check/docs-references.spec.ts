import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  codeFacts,
  missing,
  normalizeRoute,
  referencesIn,
  routesIn,
  valuePaths,
} from './docs-references.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('the docs name only what the code has', () => {
  const facts = codeFacts(root);
  const references = documents.flatMap((file) =>
    referencesIn(readFileSync(join(root, file), 'utf8'), file),
  );

  it('finds the subjects, buckets, streams and routes the docs name', () => {
    const kinds = new Set(references.map((reference) => reference.kind));
    expect([...kinds].sort()).toEqual(['bucket', 'route', 'stream', 'subject']);
    expect(references.length).toBeGreaterThan(40);
  });

  it('has every one of them in the code', () => {
    const absent = missing(references, facts).map(
      (reference) => `${reference.file}:${reference.line} ${reference.kind} ${reference.name}`,
    );
    expect(absent).toEqual([]);
  });
});

describe(referencesIn.name, () => {
  const markdown = [
    'Ask `credentials.api-key.generate`, then `PUT /api/workspaces/{ws}/rate-limit`.',
    '| bucket | key |',
    '|---|---|',
    '| `api_keys` | api key |',
    'After the table: `ip_filters` and `jwks` KV; `le.credentials.api-key.get` is prefixed.',
  ].join('\n');

  it('reads subjects, routes, table buckets and "KV" mentions with their lines', () => {
    expect(referencesIn(markdown, 'x.md')).toEqual([
      { kind: 'subject', name: 'credentials.api-key.generate', file: 'x.md', line: 1 },
      { kind: 'route', name: 'PUT /api/workspaces/{}/rate-limit', file: 'x.md', line: 1 },
      { kind: 'bucket', name: 'api_keys', file: 'x.md', line: 4 },
      { kind: 'bucket', name: 'ip_filters', file: 'x.md', line: 5 },
      { kind: 'bucket', name: 'jwks', file: 'x.md', line: 5 },
    ]);
  });

  it('reports what the code lacks', () => {
    const facts = {
      literals: new Set(['credentials.api-key.generate', 'api_keys', 'jwks']),
      paths: new Set<string>(),
      routes: new Set(['PUT /api/workspaces/{}/rate-limit']),
      values: new Set<string>(),
    };
    expect(missing(referencesIn(markdown, 'x.md'), facts).map((r) => r.name)).toEqual([
      'ip_filters',
    ]);
  });
});

describe(routesIn.name, () => {
  it('joins the controller prefix and each method path', () => {
    const source = "@Controller('api/workspaces/:ws')\n@Get('ip-filter/:api')\n@Put()";
    expect(routesIn(source)).toEqual([
      'GET /api/workspaces/{}/ip-filter/{}',
      'PUT /api/workspaces/{}',
    ]);
    expect(normalizeRoute('/invitations/<token>/')).toBe('/invitations/{}');
  });
});

describe(valuePaths.name, () => {
  it('lists the dotted path of every key', () => {
    const yaml = 'gateway:\n  service:\n    type: ClusterIP\n  hosts: []\naudit:\n  replicas: 1\n';
    expect(valuePaths(yaml)).toEqual([
      'gateway',
      'gateway.service',
      'gateway.service.type',
      'gateway.hosts',
      'audit',
      'audit.replicas',
    ]);
  });
});
