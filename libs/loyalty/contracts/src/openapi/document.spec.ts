import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { DOCUMENTED_ERRORS } from './errors.js';
import { GATEWAY_OPENAPI } from './document.js';
import { HTTP_METHODS, type Operation } from './types.js';

const operations = (): [string, string, Operation][] =>
  Object.entries(GATEWAY_OPENAPI.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation === undefined
        ? []
        : [[path, method, operation] as [string, string, Operation]];
    }),
  );

/** Names of an operation's request examples: its bodies' and its parameters'. */
function requestExamples(operation: Operation): string[] {
  const names = new Set<string>();
  for (const media of Object.values(operation.requestBody?.content ?? {})) {
    for (const name of Object.keys(media.examples ?? {})) names.add(name);
  }
  for (const parameter of operation.parameters ?? []) {
    for (const name of Object.keys(parameter.examples ?? {})) names.add(name);
  }
  return [...names];
}

function responseExamples(operation: Operation): string[] {
  return Object.values(operation.responses).flatMap((response) =>
    Object.values(response.content ?? {}).flatMap((media) => Object.keys(media.examples ?? {})),
  );
}

describe('GATEWAY_OPENAPI', () => {
  it('is a valid OpenAPI 3.1 document (@readme/openapi-parser)', async () => {
    const result = await validate(structuredClone(GATEWAY_OPENAPI) as never);
    expect(result).toEqual({ valid: true, warnings: [], specification: 'OpenAPI' });
  });

  it('is refused by the validator when it is broken (the check can fail)', async () => {
    const broken = structuredClone(GATEWAY_OPENAPI) as unknown as {
      paths: Record<string, Record<string, { responses: unknown }>>;
    };
    broken.paths['/events']!.post!.responses = { '200': {} };
    const result = await validate(broken as never);
    expect(result.valid).toBe(false);
  });

  it('documents the four APIs', () => {
    expect(Object.keys(GATEWAY_OPENAPI.paths)).toEqual(
      expect.arrayContaining([
        '/events',
        '/customers/{customer_id}',
        '/customers/{customer_id}/events',
        '/customers',
        '/customers/-/count',
        '/v1/async/events',
        '/v1/async/events/{correlation_id}',
        '/v1/auth/token',
      ]),
    );
    expect(Object.keys(GATEWAY_OPENAPI.components.securitySchemes).sort()).toEqual([
      'api_key',
      'bearer',
      'client_basic',
      'client_credentials',
      'escher',
    ]);
  });

  it.each(
    operations().map(([path, method, operation]) => [`${method.toUpperCase()} ${path}`, operation]),
  )('gives every request example of %s a response example of the same name', (_, operation) => {
    const responses = responseExamples(operation);
    const requests = requestExamples(operation);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((name) => !responses.includes(name))).toEqual([]);
  });

  it('resolves every $ref to a component schema', () => {
    const refs = JSON.stringify(GATEWAY_OPENAPI).match(/"\$ref":"[^"]+"/g) ?? [];
    const names = refs.map((found) => found.slice(found.lastIndexOf('/') + 1, -1));
    expect(names.filter((name) => !(name in GATEWAY_OPENAPI.components.schemas))).toEqual([]);
  });

  it('lists only codes that docs/errors.md explains', () => {
    const docs = readFileSync(new URL('../../../../../docs/errors.md', import.meta.url), 'utf8');
    expect(
      DOCUMENTED_ERRORS.map((row) => row.code).filter((code) => !docs.includes(String(code))),
    ).toEqual([]);
  });
});
