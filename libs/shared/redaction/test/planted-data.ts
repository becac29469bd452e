// Structured bodies (JSON, JSON cut short, forms, query strings, headers) with one secret planted
// under a sensitive key (see arbitraries.ts).
import fc from 'fast-check';
import {
  anySecret,
  fill,
  formEncoded,
  HOLE,
  jsonEscaped,
  jwt,
  noiseKey,
  noiseText,
  plainText,
  sensitiveHeaderName,
  sensitiveKey,
  tokenSecret,
  type Filled,
  type Planted,
} from './arbitraries.js';

const unique = (list: readonly string[]) => [...new Set(list)];
const wellFormed = (text: string) => {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

// ---- JSON ---------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const leaf: fc.Arbitrary<Json> = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), noiseText);
const tree: fc.Arbitrary<Json> = fc.letrec<{ node: Json }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(noiseKey, tie('node'), { maxKeys: 3 }),
  ),
})).node;

/** `{ [sensitive key]: secret }` (the secret as is, in an array or an object) or text in a string. */
const jsonPlant: fc.Arbitrary<{ plant: Json; secret: string; escape: boolean }> = fc.oneof(
  fc
    .record({
      key: sensitiveKey(),
      shape: fc.constantFrom<Json>(HOLE, [HOLE], { v: HOLE }, { a: [1, { b: HOLE }] }),
      secret: anySecret,
    })
    .map(({ key, shape, secret }) => ({ plant: { [key]: shape }, secret, escape: true })),
  fc
    .record({
      key: noiseKey,
      before: plainText,
      newline: fc.boolean(),
      name: sensitiveKey(),
      sep: fc.constantFrom(': ', '=', ' = '),
      secret: tokenSecret,
    })
    .map(({ key, before, newline, name, sep, secret }) => ({
      plant: { [key]: `${before}${newline ? '\n' : ' '}${name}${sep}${HOLE}` },
      secret,
      escape: false,
    })),
  fc.record({ key: noiseKey, before: plainText, token: jwt }).map(({ key, before, token }) => ({
    plant: { [key]: `${before} ${HOLE}` },
    secret: token,
    escape: false,
  })),
);

/** `plant` added to one of the containers of `root` (chosen by `pick`), or beside it. */
function insert(root: Json, plant: Json, pick: number): Json {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  const containers: (Json[] | { [key: string]: Json })[] = [];
  const walk = (node: Json): void => {
    if (Array.isArray(node)) {
      containers.push(node);
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      containers.push(node);
      Object.values(node).forEach(walk);
    }
  };
  walk(copy);
  const target = containers[pick % Math.max(containers.length, 1)];
  if (target === undefined) return [copy, plant];
  if (Array.isArray(target)) target.splice(pick % (target.length + 1), 0, plant);
  else Object.assign(target, plant);
  return copy;
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/vnd.api+json',
  'application/problem+json',
  undefined,
];

const jsonBody = fc
  .record({
    root: tree,
    plant: jsonPlant,
    pick: fc.nat(),
    pretty: fc.boolean(),
    contentType: fc.constantFrom(...JSON_TYPES),
  })
  .map(({ root, plant, pick, pretty, contentType }) => {
    const template = JSON.stringify(insert(root, plant.plant, pick), null, pretty ? 2 : undefined);
    const value = plant.escape ? jsonEscaped(plant.secret) : plant.secret;
    const hidden = unique([plant.secret, value]);
    return { contentType, filled: fill(template, value, hidden) };
  });

export const json: fc.Arbitrary<Planted> = jsonBody
  .filter((b) => b.filled !== undefined)
  .map(({ contentType, filled }) => ({
    kind: 'json',
    contentType,
    ...(filled as NonNullable<Filled>),
  }));

/** Cut anywhere after the secret, maybe with the gateway's note of what was not kept. */
export const truncatedJson: fc.Arbitrary<Planted> = fc
  .record({ body: json, cut: fc.nat(), note: fc.boolean() })
  .map(({ body, cut, note }) => {
    if (body.kind !== 'json') throw new Error('unreachable');
    const after = Math.max(...body.hidden.map((h) => body.body.lastIndexOf(h) + h.length));
    const at = after + (cut % Math.max(body.body.length - after, 1));
    const text = `${body.body.slice(0, at)}${note ? '…[120 more bytes not kept]' : ''}`;
    return { ...body, kind: 'truncated-json' as const, body: text };
  });

// ---- forms and query strings --------------------------------------------------------------

const noisePair = fc
  .tuple(noiseKey, noiseText)
  .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);

const formKey = fc.oneof(
  sensitiveKey().map((key) => encodeURIComponent(key).replace(/%20/g, '+')),
  fc.tuple(noiseKey, sensitiveKey(false)).map(([outer, key]) => `${outer}[${key}]`),
  fc.tuple(noiseKey, sensitiveKey(false)).map(([outer, key]) => `${outer}%5B${key}%5D`),
  sensitiveKey(false).map((key) => key.replace(/_/g, '%5F')),
);

const pairs = fc
  .record({
    before: fc.array(noisePair, { maxLength: 3 }),
    after: fc.array(noisePair, { maxLength: 3 }),
    planted: fc.oneof(
      fc.record({ key: formKey, secret: anySecret.filter(wellFormed), jwt: fc.constant(false) }),
      fc.record({ key: noiseKey, secret: jwt, jwt: fc.constant(true) }),
    ),
  })
  .map(({ before, after, planted }) => {
    const value = planted.jwt ? planted.secret : formEncoded(planted.secret);
    const template = [...before, `${planted.key}=${HOLE}`, ...after].join('&');
    return fill(template, value, unique([planted.secret, value, value.replace(/%20/g, '+')]));
  })
  .filter((filled): filled is NonNullable<Filled> => filled !== undefined);

export const form: fc.Arbitrary<Planted> = fc
  .tuple(
    pairs,
    fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=UTF-8',
    ),
  )
  .map(([filled, contentType]) => ({ kind: 'form', contentType, ...filled }));

export const url: fc.Arbitrary<Planted> = fc
  .tuple(pairs, fc.constantFrom('/v1/events?', '/customers/c1?a=1&', '/x?a=1#&'))
  .map(([filled, head]) => ({ kind: 'url', url: `${head}${filled.body}`, hidden: filled.hidden }));

// ---- headers ------------------------------------------------------------------------------

const noiseHeaders = fc.dictionary(
  fc.constantFrom(
    'x-request-id',
    'accept',
    'user-agent',
    'content-length',
    'x-forwarded-for',
    'keep-alive',
  ),
  plainText,
  { maxKeys: 3 },
);

export const headers: fc.Arbitrary<Planted> = fc
  .record({
    noise: noiseHeaders,
    name: sensitiveHeaderName,
    secret: anySecret,
    repeated: fc.boolean(),
    form: fc.nat(2),
    key: sensitiveKey(false),
    token: tokenSecret,
    jwt,
  })
  .filter(({ noise, secret, token }) =>
    Object.values(noise).every((v) => !v.includes(secret) && !v.includes(token)),
  )
  .map(({ noise, name, secret, repeated, form, key, token, jwt: jws }): Planted => {
    if (form === 0) {
      const value = repeated ? [secret, 'other'] : secret;
      return { kind: 'headers', headers: { ...noise, [name]: value }, hidden: [secret] };
    }
    if (form === 1) {
      const referer = `https://app.example/cb?code=1&${key}=${token}`;
      return { kind: 'headers', headers: { ...noise, referer }, hidden: [token] };
    }
    return { kind: 'headers', headers: { ...noise, 'x-debug': `id ${jws}` }, hidden: [jws] };
  });

export const STRUCTURED_BODIES = { json, truncatedJson, form, url, headers } as const;
