// ESLint rule enforcing the project graph rules of docs/architecture.md, read from each
// project's project.json tags (the same model as Nx's enforce-module-boundaries):
// - a project is imported only through its package name, never by a relative or deep path;
// - apps are never imported;
// - a project with scope:X may use scope:X, scope:shared, and any project tagged type:contracts;
// - type:contracts and type:util projects use only contracts and util projects;
// - contracts import no framework, ORM or transport package.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
const SCOPE = '@loyalty-edge/';
const FRAMEWORK = /^(@nestjs\/|typeorm$|pg$|nats$|@nats-io\/|fastify)/;

function loadProjects() {
  const byDir = new Map();
  const byName = new Map();
  const walk = (dir, depth) => {
    const projectFile = join(dir, 'project.json');
    if (existsSync(projectFile) && existsSync(join(dir, 'package.json'))) {
      const { tags = [] } = JSON.parse(readFileSync(projectFile, 'utf8'));
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const tag = (prefix) => tags.find((t) => t.startsWith(prefix))?.slice(prefix.length);
      const project = { dir, name, type: tag('type:'), scope: tag('scope:') };
      byDir.set(dir, project);
      byName.set(name, project);
    }
    if (depth === 0) return;
    for (const entry of readdirSync(dir)) {
      const child = join(dir, entry);
      if (
        !['node_modules', 'dist', 'src', 'test'].includes(entry) &&
        statSync(child).isDirectory()
      ) {
        walk(child, depth - 1);
      }
    }
  };
  for (const top of ['apps', 'libs']) if (existsSync(join(root, top))) walk(join(root, top), 2);
  return { byDir, byName };
}

let cache;
const projects = () => (cache ??= loadProjects());

function owner(file) {
  let dir = dirname(file);
  while (dir.startsWith(root) && dir !== root) {
    const project = projects().byDir.get(dir);
    if (project) return project;
    dir = dirname(dir);
  }
  return undefined;
}

function violation(source, target) {
  if (target.type === 'app') return `apps are never imported (${target.name})`;
  if (source.type === 'contracts' || source.type === 'util') {
    if (target.type !== 'contracts' && target.type !== 'util') {
      return `a ${source.type} project may only use contracts and util projects, not ${target.name}`;
    }
    return undefined;
  }
  if (target.type === 'contracts' || target.scope === 'shared' || target.scope === source.scope) {
    return undefined;
  }
  return `scope:${source.scope} may not use ${target.name} (scope:${target.scope}); use its contracts`;
}

export default {
  rules: {
    'module-boundaries': {
      meta: { type: 'problem', schema: [], messages: { boundary: '{{why}}' } },
      create(context) {
        const file = context.filename;
        const source = owner(file);
        if (!source) return {};
        const check = (node, spec) => {
          if (typeof spec !== 'string') return;
          const report = (why) => context.report({ node, messageId: 'boundary', data: { why } });
          if (spec.startsWith('.')) {
            const target = resolve(dirname(file), spec);
            const rel = relative(source.dir, target);
            if (rel.startsWith('..') || rel.startsWith(sep)) {
              report(`relative import leaves ${source.name}; import the package instead`);
            }
            return;
          }
          if (source.type === 'contracts' && FRAMEWORK.test(spec)) {
            report(`contracts import no framework, ORM or transport package (${spec})`);
            return;
          }
          if (!spec.startsWith(SCOPE)) return;
          const name = spec.split('/').slice(0, 2).join('/');
          if (name !== spec) {
            report(`deep import ${spec}; import ${name} instead`);
            return;
          }
          const target = projects().byName.get(name);
          if (!target) return report(`unknown project ${name}`);
          if (target === source) return report(`${name} imports itself by package name`);
          const why = violation(source, target);
          if (why) report(why);
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) =>
            node.source.type === 'Literal' && check(node, node.source.value),
        };
      },
    },
  },
};
