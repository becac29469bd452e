import {
  HTTP_METHODS,
  type HttpMethod,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
} from '@loyalty-edge/loyalty-contracts';

export interface DocumentedOperation {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operation: Operation;
}

/** The operations of each tag, in the document's order. */
export function operationsByTag(document: OpenApiDocument): readonly {
  readonly tag: string;
  readonly description: string;
  readonly operations: readonly DocumentedOperation[];
}[] {
  const all = Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation === undefined ? [] : [{ method, path, operation }];
    }),
  );
  return document.tags.map((tag) => ({
    tag: tag.name,
    description: tag.description,
    operations: all.filter((entry) => entry.operation.tags.includes(tag.name)),
  }));
}

/** The component name a `$ref` points at. */
export function refName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  return typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : undefined;
}

/** A schema in a few words: `Customer`, `array of Customer`, `string | null`, `integer 1–100`. */
export function schemaType(schema: JsonSchema): string {
  const name = refName(schema);
  if (name !== undefined) return name;
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.allOf)) {
    return (schema.allOf as JsonSchema[]).map(schemaType).join(' + ');
  }
  const type = Array.isArray(schema.type)
    ? schema.type.join(' | ')
    : typeof schema.type === 'string'
      ? schema.type
      : 'any';
  if (schema.type === 'array' && typeof schema.items === 'object' && schema.items !== null) {
    return `array of ${schemaType(schema.items as JsonSchema)}`;
  }
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (min !== undefined || max !== undefined) return `${type} ${min ?? ''}–${max ?? ''}`;
  return typeof schema.format === 'string' ? `${type} (${schema.format})` : type;
}

export interface PropertyRow {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

/** The properties of an object schema (those of `allOf` parts too), for a table. */
export function propertyRows(schema: JsonSchema): readonly PropertyRow[] {
  if (Array.isArray(schema.allOf)) {
    return (schema.allOf as JsonSchema[]).flatMap((part) =>
      refName(part) === undefined ? propertyRows(part) : [],
    );
  }
  const properties = (schema.properties ?? {}) as Readonly<Record<string, JsonSchema>>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return Object.entries(properties).map(([name, property]) => ({
    name,
    type: schemaType(property),
    required: required.includes(name),
    description: typeof property.description === 'string' ? property.description : '',
  }));
}

/** An example value as it is sent: JSON pretty-printed, a form body as it is. */
export function exampleText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
