import {
  HTTP_METHODS,
  type HttpMethod,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
} from '@loyalty-edge/loyalty-contracts';

/** One example request of the document, with the status its same-named response example has. */
export interface ExampleRequest {
  readonly label: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly body: string | undefined;
  /** The security schemes of the operation's first requirement. */
  readonly security: readonly string[];
  readonly status: number;
  /** The schema of that response's JSON body. */
  readonly schema: JsonSchema | undefined;
}

function namesOf(operation: Operation): string[] {
  const names: string[] = [];
  const add = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  for (const media of Object.values(operation.requestBody?.content ?? {})) {
    Object.keys(media.examples ?? {}).forEach(add);
  }
  for (const parameter of operation.parameters ?? []) {
    Object.keys(parameter.examples ?? {}).forEach(add);
  }
  return names;
}

/**
 * Every example request of the document, in its order (the examples build on each other: an
 * opt_in before the point_add of the same customer). A path parameter without an example of
 * that name takes its first example.
 */
export function exampleRequests(document: OpenApiDocument): ExampleRequest[] {
  const requests: ExampleRequest[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      for (const name of namesOf(operation)) {
        let path = template;
        const query = new URLSearchParams();
        for (const parameter of operation.parameters ?? []) {
          const examples = parameter.examples ?? {};
          const example =
            examples[name] ?? (parameter.in === 'path' ? Object.values(examples)[0] : undefined);
          if (example === undefined) continue;
          const value = String(example.value);
          if (parameter.in === 'path')
            path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
          if (parameter.in === 'query') query.set(parameter.name, value);
        }
        const body = Object.entries(operation.requestBody?.content ?? {}).find(
          ([, media]) => media.examples?.[name] !== undefined,
        );
        const value = body?.[1].examples?.[name]?.value;
        const [status, response] = Object.entries(operation.responses).find(([, candidate]) =>
          Object.values(candidate.content ?? {}).some(
            (media) => media.examples?.[name] !== undefined,
          ),
        ) ?? ['0', undefined];
        requests.push({
          label: `${method.toUpperCase()} ${template} ${name}`,
          method,
          path,
          query,
          contentType: body?.[0],
          body:
            value === undefined
              ? undefined
              : typeof value === 'string'
                ? value
                : JSON.stringify(value),
          security: Object.keys((operation.security ?? document.security)[0] ?? {}),
          status: Number(status),
          schema: response?.content?.['application/json']?.schema,
        });
      }
    }
  }
  return requests;
}

/** The required properties a body lacks (`$ref` and `allOf` followed), as dotted names. */
export function missingRequired(
  document: OpenApiDocument,
  schema: JsonSchema,
  value: unknown,
  at = '',
): string[] {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = document.components.schemas[ref.slice(ref.lastIndexOf('/') + 1)];
    return target === undefined ? [`${at}$ref`] : missingRequired(document, target, value, at);
  }
  if (Array.isArray(schema.allOf)) {
    return (schema.allOf as JsonSchema[]).flatMap((part) =>
      missingRequired(document, part, value, at),
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const record = value as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return [
    ...required.filter((key) => !(key in record)).map((key) => `${at}${key}`),
    ...Object.entries(properties).flatMap(([key, property]) =>
      key in record ? missingRequired(document, property, record[key], `${at}${key}.`) : [],
    ),
  ];
}
