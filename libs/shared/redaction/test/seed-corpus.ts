// Regression corpus of the redaction functions: past misses and near misses (reviewer findings
// and fast-check counterexamples), kept as fixed cases. Add a case whenever a secret slipped through.

/** A value that `redactValue` and `redactHeaders` must hide. */
export interface ValueSeed {
  readonly input: Record<string, unknown>;
  readonly hidden: string;
}

export const VALUE_SEEDS: readonly ValueSeed[] = [
  { input: { 'X-Api-Key': 'k-1' }, hidden: 'k-1' },
  { input: { user: { newPassword: 'p-2', password_confirmation: 'p-2' } }, hidden: 'p-2' },
  { input: { refresh_token: 't-3', id: 'visible' }, hidden: 't-3' },
  { input: { list: [{ client_secret: 's-4' }, { note: 'ok' }] }, hidden: 's-4' },
  { input: { 'Proxy-Authorization': 'Basic s-5' }, hidden: 's-5' },
  { input: { 'X-Antavo-Signature': 'sig-6' }, hidden: 'sig-6' },
];

/** A body that `redactBody(contentType, body)` must not show any of `hidden` of. */
export interface BodySeed {
  readonly name: string;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly hidden: readonly string[];
}

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjMSJ9.c2lnbmF0dXJlLWJ5dGVz';

export const BODY_SEEDS: readonly BodySeed[] = [
  // Reviewer finding: `key: value` / `key=value` lines in text bodies were kept.
  {
    name: 'key: value line in text/plain',
    contentType: 'text/plain',
    body: 'user: bob\npassword: hunter2\n',
    hidden: ['hunter2'],
  },
  {
    name: 'key = value with spaces, no content type',
    contentType: undefined,
    body: 'secret = s3cr3t-1 and more',
    hidden: ['s3cr3t-1'],
  },
  {
    name: 'single-quoted pair in text/html',
    contentType: 'text/html',
    body: "<script>init({'api_secret': 'sq-1'})</script>",
    hidden: ['sq-1'],
  },
  {
    name: 'XML element',
    contentType: 'application/xml',
    body: '<login><password>hunter2</password></login>',
    hidden: ['hunter2'],
  },
  {
    name: 'HTML input with a sensitive name',
    contentType: 'text/html',
    body: '<input name="password" value="hunter2">',
    hidden: ['hunter2'],
  },
  {
    name: 'multipart field',
    contentType: 'multipart/form-data; boundary=XyZ',
    body: '--XyZ\r\nContent-Disposition: form-data; name="password"\r\n\r\nhunter2\r\n--XyZ--\r\n',
    hidden: ['hunter2'],
  },
  {
    name: 'Authorization line in a text body',
    contentType: 'text/plain',
    body: 'GET / HTTP/1.1\r\nAuthorization: Bearer lep_0123456789\r\nAuthorization: Basic dXNlcjpodW50ZXIy\r\n',
    hidden: ['lep_0123456789', 'dXNlcjpodW50ZXIy'],
  },
  {
    name: 'JWT under an innocent key',
    contentType: 'application/json',
    body: `{"data":{"t":"${JWT}"}}`,
    hidden: [JWT.slice(0, 20)],
  },
  // Found while probing the findings: nested values and embedded JSON.
  {
    name: 'nested array under a sensitive key of truncated JSON',
    contentType: 'application/json',
    body: '{"password":[["a"],["hunter2"]],"note":"x',
    hidden: ['hunter2'],
  },
  {
    name: 'nested object under a sensitive key of truncated JSON',
    contentType: 'application/json',
    body: '{"kek":{"x":{"y":1},"z":"K-2"},"note":"x',
    hidden: ['K-2'],
  },
  {
    name: 'JSON embedded in a JSON string',
    contentType: 'application/json',
    body: '{"payload":"{\\"password\\":\\"hunter2\\"}"}',
    hidden: ['hunter2'],
  },
  {
    name: 'JSON embedded in a truncated JSON string',
    contentType: 'application/json',
    body: '{"payload":"{\\"pwd\\":\\"hunter2\\"}","n',
    hidden: ['hunter2'],
  },
  // fast-check: an element cut short inside CDATA; "up to the next tag" stopped at `<![CDATA[`.
  {
    name: 'CDATA of an element cut short',
    contentType: 'application/xml',
    body: '<?xml version="1.0"?><root><password><![CDATA[   #   \u{10000}',
    hidden: ['   #   \u{10000}'],
  },
  {
    name: 'comment before the value of an element cut short',
    contentType: 'text/xml',
    body: '<root><token><!-- t -->tk-1',
    hidden: ['tk-1'],
  },
  // fast-check: a list bullet was read as a first word of the key (`- password`).
  {
    name: 'bulleted key owning its line',
    contentType: 'text/plain',
    body: '- password => &       !',
    hidden: ['&       !'],
  },
];

/** Headers whose value `redactHeaders` must hide. */
export const HEADER_SEEDS: readonly ValueSeed[] = [
  { input: { 'x-session': 'hs-1' }, hidden: 'hs-1' },
  { input: { 'X-Credentials': 'hs-2' }, hidden: 'hs-2' },
  { input: { 'x-access-key': 'hs-3' }, hidden: 'hs-3' },
  { input: { referer: `https://app.example/cb#id_token=${JWT}` }, hidden: JWT.slice(0, 20) },
];
