import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Something the docs name that the code must have. */
export interface Reference {
  readonly kind: 'subject' | 'bucket' | 'stream' | 'route';
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

/** What the code declares: names as string literals (subjects, buckets, streams), HTTP routes. */
export interface CodeFacts {
  readonly literals: ReadonlySet<string>;
  /** Literals that look like paths, normalized. */
  readonly paths: ReadonlySet<string>;
  /** `METHOD /path` of every controller, parameters as `{}`. */
  readonly routes: ReadonlySet<string>;
  /** Dotted key paths of the Helm chart's values (`gateway.service.type`), not subjects. */
  readonly values: ReadonlySet<string>;
}

const SERVICES = ['credentials', 'ip-filter', 'signature', 'token', 'audit', 'gateway', 'loyalty'];
const SUBJECT = new RegExp(`^(?:${SERVICES.join('|')})\\.[a-z-]+\\.[a-z-]+(?:\\.[a-z-]+)?$`);
const ROUTE =
  /(?:\b(GET|POST|PUT|PATCH|DELETE) )?(\/(?:api|v1|\.well-known)\/[A-Za-z0-9_{}:/.-]*[A-Za-z0-9_}-])/g;
const HTTP_METHODS = ['Get', 'Post', 'Put', 'Patch', 'Delete'];

/** `/api/workspaces/{ws}/x` and `api/workspaces/:ws/x` → `/api/workspaces/{}/x`. */
export function normalizeRoute(path: string): string {
  const joined = `/${path}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return joined.replace(/\{[^}/]*\}|:[A-Za-z]+|\[[^\]/]*\]|<[^>/]*>/g, '{}');
}

function backticked(line: string): string[] {
  return [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

/** The references of one Markdown document. */
export function referencesIn(markdown: string, file: string): Reference[] {
  const found: Reference[] = [];
  let tableKind: 'bucket' | 'stream' | null = null;
  markdown.split('\n').forEach((text, index) => {
    const line = index + 1;
    const add = (kind: Reference['kind'], name: string): void => {
      found.push({ kind, name, file, line });
    };
    if (/^\|\s*bucket\s*\|/.test(text)) tableKind = 'bucket';
    else if (/^\|\s*stream\s*\|/.test(text)) tableKind = 'stream';
    else if (!text.startsWith('|')) tableKind = null;
    else if (tableKind !== null && !/^\|\s*-/.test(text)) {
      const first = backticked(text.split('|')[1] ?? '')[0];
      if (first !== undefined) add(tableKind, first);
    }
    for (const value of backticked(text)) if (SUBJECT.test(value)) add('subject', value);
    for (const match of text.matchAll(/`([a-z_]+)` (?:and `([a-z_]+)` )?KV\b/g)) {
      for (const name of [match[1], match[2]]) if (name !== undefined) add('bucket', name);
    }
    for (const match of text.matchAll(ROUTE)) {
      const path = normalizeRoute(match[2] ?? '');
      add('route', match[1] === undefined ? path : `${match[1]} ${path}`);
    }
  });
  return found;
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(
      (path) => !/\/(dist|node_modules)\//.test(path) && !/\.(spec|int-spec)\.ts$/.test(path),
    );
}

/** Routes of the Nest controllers in one source file. */
export function routesIn(source: string): string[] {
  const prefix = /@Controller\((?:'([^']*)')?\)/.exec(source)?.[1] ?? '';
  const decorator = new RegExp(`@(${HTTP_METHODS.join('|')})\\((?:'([^']*)')?\\)`, 'g');
  return [...source.matchAll(decorator)].map(
    (match) => `${(match[1] ?? '').toUpperCase()} ${normalizeRoute(`${prefix}/${match[2] ?? ''}`)}`,
  );
}

/** Dotted paths of the keys of a YAML mapping written with two-space indentation. */
export function valuePaths(yaml: string): string[] {
  const stack: string[] = [];
  return yaml.split('\n').flatMap((text) => {
    const match = /^( *)([A-Za-z][\w-]*):/.exec(text);
    if (match === null) return [];
    stack.length = (match[1] ?? '').length / 2;
    stack.push(match[2] ?? '');
    return [stack.join('.')];
  });
}

/** Reads what the sources under `root` declare. */
export function codeFacts(root: string): CodeFacts {
  const sources = [
    ...filesUnder(join(root, 'apps'), '.ts'),
    ...filesUnder(join(root, 'libs'), '.ts'),
  ]
    .filter((path) => relative(root, path).split('/').includes('src'))
    .map((path) => readFileSync(path, 'utf8'));
  const literals = new Set(
    sources.flatMap((source) =>
      [...source.matchAll(/'([^'\n]+)'/g)].map((match) => match[1] ?? ''),
    ),
  );
  return {
    literals,
    paths: new Set(
      [...literals].filter((value) => /^\/?[\w.-]+\//.test(value)).map(normalizeRoute),
    ),
    routes: new Set(sources.flatMap(routesIn)),
    values: new Set(valuePaths(readFileSync(join(root, 'helm/loyalty-edge/values.yaml'), 'utf8'))),
  };
}

/** A controller route (same method when the docs name one), or a path the code spells out. */
function routeExists(route: string, facts: CodeFacts): boolean {
  const space = route.indexOf(' ');
  const path = route.slice(space + 1);
  if (facts.paths.has(path)) return true;
  if (space > 0) return facts.routes.has(route);
  return [...facts.routes].some((known) => known.endsWith(` ${path}`));
}

/** The references the code does not have. */
export function missing(references: readonly Reference[], facts: CodeFacts): Reference[] {
  return references.filter((reference) => {
    switch (reference.kind) {
      case 'subject':
        return !facts.literals.has(reference.name) && !facts.values.has(reference.name);
      case 'stream':
        return !facts.literals.has(reference.name);
      case 'bucket':
        return !facts.literals.has(reference.name.replace(/^le_/, ''));
      case 'route':
        return !routeExists(reference.name, facts);
    }
  });
}
