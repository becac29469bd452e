// Text bodies (lines, XML/HTML, multipart) with one secret planted under a sensitive key
// (see arbitraries.ts).
import fc from 'fast-check';
import {
  bearerToken,
  fill,
  HOLE,
  jsonEscaped,
  jwt,
  lineSecret,
  noiseKey,
  noiseText,
  plainText,
  sensitiveKey,
  tokenSecret,
  type Filled,
  type Planted,
} from './arbitraries.js';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unique = (list: readonly string[]) => [...new Set(list)];
/** No quote, backslash, markup or line break: fits inside quotes and elements. */
const quotableSecret = lineSecret.filter((s) => !/["'\\<&]/.test(s));
/** A line's value that does not start like a quoted or structured one. */
const bareLineSecret = lineSecret.filter((s) => !/^\s*["'{[\\]/.test(s));

// ---- text: `key: value` lines, quoted pairs, Authorization, bare credentials --------------

const textLine: fc.Arbitrary<{ line: string; secret: string }> = fc.oneof(
  // the key owns its line
  fc
    .record({
      indent: fc.constantFrom('', '  ', '\t', '- '),
      key: sensitiveKey(),
      sep: fc.constantFrom(': ', ':', '=', ' = ', ' := ', ' => '),
      line: bareLineSecret,
      token: tokenSecret,
    })
    .map(({ indent, key, sep, line, token }) => {
      const ownsLine = sep.trim() === ':' || !key.includes(' ');
      return { line: `${indent}${key}${sep}${HOLE}`, secret: ownsLine ? line : token };
    }),
  // inside a sentence
  fc
    .record({
      before: plainText,
      key: sensitiveKey(),
      sep: fc.constantFrom('=', ': ', ' = '),
      secret: tokenSecret,
      after: plainText,
    })
    .map(({ before, key, sep, secret, after }) => ({
      line: `${before} ${key}${sep}${HOLE} ${after}`,
      secret,
    })),
  // quoted keys and values
  fc
    .record({
      q: fc.constantFrom('"', "'"),
      quoteKey: fc.boolean(),
      key: sensitiveKey(),
      sep: fc.constantFrom(': ', ':', '=', ' : '),
      secret: quotableSecret,
    })
    .map(({ q, quoteKey, key, sep, secret }) => ({
      line: `{${quoteKey ? `${q}${key}${q}` : key.replace(/ /g, '_')}${sep}${q}${HOLE}${q}, ${q}n${q}: 1}`,
      secret,
    })),
  // Authorization lines and bare credentials
  fc
    .record({
      name: fc.constantFrom('Authorization', 'authorization', 'Proxy-Authorization'),
      token: bearerToken,
    })
    .map(({ name, token }) => ({ line: `${name}: Bearer ${HOLE}`, secret: token })),
  fc
    .record({
      name: fc.constantFrom('Authorization', 'PROXY-AUTHORIZATION'),
      user: plainText,
      secret: quotableSecret,
    })
    .map(({ name, user, secret }) => ({
      line: `${name}: Basic ${HOLE}`,
      secret: base64(`${user.replace(/:/g, '')}:${secret}`),
    })),
  fc
    .record({ before: plainText, token: bearerToken })
    .map(({ before, token }) => ({ line: `${before} sent Bearer ${HOLE} twice`, secret: token })),
  fc
    .record({ before: plainText, token: jwt })
    .map(({ before, token }) => ({ line: `${before} ${HOLE}.`, secret: token })),
);

const noiseLine = fc.oneof(
  noiseText,
  fc.tuple(noiseKey, noiseText).map(([k, v]) => `${k}: ${v}`),
);

export const text: fc.Arbitrary<Planted> = fc
  .record({
    before: fc.array(noiseLine, { maxLength: 4 }),
    planted: textLine,
    after: fc.array(noiseLine, { maxLength: 4 }),
    eol: fc.constantFrom('\n', '\r\n'),
    contentType: fc.constantFrom(
      'text/plain',
      'text/plain; charset=utf-8',
      'text/html',
      'text/csv',
      'application/xml',
      'application/x-yaml',
      'application/javascript',
      'message/http',
      undefined,
      '',
    ),
  })
  .map(({ before, planted, after, eol, contentType }) => {
    const template = [...before, planted.line, ...after].join(eol);
    return { contentType, filled: fill(template, planted.secret, [planted.secret]) };
  })
  .filter((b) => b.filled !== undefined)
  .map(({ contentType, filled }) => ({
    kind: 'text',
    contentType,
    ...(filled as NonNullable<Filled>),
  }));

// ---- XML and HTML -------------------------------------------------------------------------

const xmlPlant = fc
  .record({
    key: sensitiveKey(false),
    prefix: fc.constantFrom('', 'ns:', 'soap:'),
    attr: fc.constantFrom('name', 'key', 'id', 'NAME'),
    q: fc.constantFrom('"', "'"),
    form: fc.nat(6),
  })
  .map(
    ({ key, prefix, attr, q, form }) =>
      [
        `<${prefix}${key}>${HOLE}</${prefix}${key}>`,
        `<${prefix}${key} xml:lang="en">${HOLE}</${prefix}${key}>`,
        `<${key}><![CDATA[${HOLE}]]></${key}>`,
        `<field ${attr}=${q}${key}${q}>${HOLE}</field>`,
        `<add ${attr}=${q}${key}${q} value=${q}${HOLE}${q}/>`,
        `<input type="text" ${attr}=${q}${key}${q} value=${q}${HOLE}${q}>`,
        `<e ${key}=${q}${HOLE}${q}/>`,
      ][form] ?? '',
  );

const noiseElement = fc
  .tuple(noiseKey, plainText)
  .map(([name, content]) => `<${name}>${content}</${name}>`);

export const xml: fc.Arbitrary<Planted> = fc
  .record({
    before: fc.array(noiseElement, { maxLength: 3 }),
    planted: xmlPlant,
    after: fc.array(noiseElement, { maxLength: 3 }),
    secret: quotableSecret,
    cut: fc.option(fc.nat(), { nil: undefined }),
    contentType: fc.constantFrom(
      'application/xml',
      'text/xml',
      'application/soap+xml',
      'text/html',
      undefined,
    ),
  })
  .map(({ before, planted, after, secret, cut, contentType }) => {
    const template = `<?xml version="1.0"?><root>${before.join('')}${planted}${after.join('')}</root>`;
    const full = fill(template, secret, [secret]);
    if (full === undefined || cut === undefined) return { contentType, filled: full };
    const end = full.body.indexOf(secret) + secret.length;
    return {
      contentType,
      filled: { ...full, body: full.body.slice(0, end + (cut % (full.body.length - end + 1))) },
    };
  })
  .filter((b) => b.filled !== undefined)
  .map(({ contentType, filled }) => ({
    kind: 'xml',
    contentType,
    ...(filled as NonNullable<Filled>),
  }));

// ---- multipart ----------------------------------------------------------------------------

const part = (boundary: string, headers: string, content: string) =>
  `--${boundary}\r\n${headers}\r\n\r\n${content}\r\n`;

export const multipart: fc.Arbitrary<Planted> = fc
  .record({
    boundary: fc.stringMatching(/^-{0,4}[A-Za-z0-9_]{4,24}$/),
    noise: fc.array(fc.tuple(noiseKey, plainText), { maxLength: 3 }),
    at: fc.nat(),
    key: sensitiveKey(),
    form: fc.nat(3),
    secret: lineSecret.filter((s) => !s.includes('"') && !/^\s*['{[\\]/.test(s)),
    quoted: fc.boolean(),
    type: fc.nat(4),
    cut: fc.boolean(),
  })
  .map(({ boundary, noise, at, key, form, secret, quoted, type, cut }) => {
    const disposition = (name: string) =>
      `Content-Disposition: form-data; name=${quoted || /\s/.test(name) ? `"${name}"` : name}`;
    const planted =
      [
        part(boundary, disposition(key), HOLE),
        part(boundary, `${disposition(key)}\r\nContent-Type: text/plain; charset=utf-8`, HOLE),
        part(
          boundary,
          `${disposition('notes')}\r\nContent-Type: text/plain`,
          `hello\r\n${key}: ${HOLE}`,
        ),
        part(
          boundary,
          `${disposition('data')}\r\nContent-Type: application/json`,
          JSON.stringify({ [key]: HOLE }),
        ),
      ][form] ?? '';
    const parts = noise.map(([name, content]) => part(boundary, disposition(name), content));
    parts.splice(at % (parts.length + 1), 0, planted);
    const template = `${parts.join('')}${cut ? '' : `--${boundary}--\r\n`}`;
    const value = form === 3 ? jsonEscaped(secret) : secret;
    const contentType = [
      `multipart/form-data; boundary=${boundary}`,
      `multipart/form-data; boundary="${boundary}"`,
      `Multipart/Mixed; charset=utf-8; boundary=${boundary}`,
      'multipart/form-data',
      undefined,
    ][type];
    return {
      contentType,
      filled: fill(template, value, unique([value, form === 3 ? secret : value])),
    };
  })
  .filter((b) => b.filled !== undefined)
  .map(({ contentType, filled }) => ({
    kind: 'multipart',
    contentType,
    ...(filled as NonNullable<Filled>),
  }));

export const TEXT_BODIES = { text, xml, multipart } as const;
