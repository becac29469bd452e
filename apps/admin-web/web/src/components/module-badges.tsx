import type { WorkspaceModules } from '../api/endpoints.js';

export const MODULES: readonly {
  readonly key: keyof WorkspaceModules;
  readonly name: string;
  readonly description: string;
}[] = [
  {
    key: 'ipFilter',
    name: 'IP filter',
    description: 'Allow-lists of IP addresses and CIDR ranges per API; anyone else gets 403.',
  },
  {
    key: 'signatureCheck',
    name: 'API signature check',
    description: 'Per API, reject plain api_key requests: only Escher-signed calls pass.',
  },
  {
    key: 'asyncEvents',
    name: 'Async events',
    description: 'The Async Events API with OAuth2 client-credentials tokens.',
  },
];

export function ModuleBadges({ modules }: { modules: WorkspaceModules }) {
  const on = MODULES.filter((module) => modules[module.key]);
  if (on.length === 0) return <span className="muted">No modules</span>;
  return (
    <span className="badges" aria-label="Enabled modules">
      {on.map((module) => (
        <span key={module.key} className="badge badge-module">
          {module.name}
        </span>
      ))}
    </span>
  );
}
