// The checks of event-checks.ts against the class-transformer + class-validator DTOs the audit
// service validated stream events with before (kept here, unchanged, only for this comparison):
// generated events of every type, valid and broken, are accepted or refused alike, and what is
// kept of an accepted one is the same. One deliberate difference: a nested object (actor,
// request, response, count) that is absent or an array passed `@ValidateNested` but could never
// be stored (the writer or the parser threw on it); the checks refuse it.
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  validateSync,
  ValidateNested,
} from 'class-validator';
import fc from 'fast-check';
import type {
  AuthClientEvent,
  ChangeEvent,
  ClientIpCountsEvent,
  FailedCallEvent,
  RequestTruncation,
  ResponseTruncation,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';
import { redactValue } from '@loyalty-edge/redaction';
import { ActorDto, ActorField } from '@loyalty-edge/runtime';
import { IsStringRecord } from '../is-string-record.js';
import type { RecordType } from './audit-record.js';
import { INVALID, type Check } from './check.js';
import {
  checkAuthClient,
  checkChange,
  checkClientIps,
  checkFailedCall,
  checkToken,
} from './event-checks.js';
import { fitFailedCall } from './fit-event.js';

const ISO = { strict: true, strictSeparator: true };

const Truncate = (max: number): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.slice(0, max) : value,
  );

/** Fields every event has. */
abstract class EventDto {
  @IsString() @Length(1, 100) id!: string;
  @IsISO8601(ISO) at!: string;
}

class ChangeEventDto extends EventDto implements ChangeEvent {
  @IsOptional() @IsString() @Length(1, 64) workspaceId!: string | null;
  @ActorField() actor!: ActorDto;
  @IsString() @Length(1, 200) action!: string;
  @IsOptional() @IsString() @MaxLength(500) target?: string;
  @Allow() before?: unknown;
  @Allow() after?: unknown;
  @IsIn(['ui', 'api', 'system']) source!: 'ui' | 'api' | 'system';
  @IsOptional() @IsString() @MaxLength(200) requestId?: string;
  @IsOptional() @IsString() @MaxLength(64) clientIp?: string;
}

class RequestDto {
  @IsString() @Length(1, 16) method!: string;
  @IsString() @Length(1, 8192) url!: string;
  @IsStringRecord(200, 16_384) headers!: Record<string, string>;
  @IsString() @MaxLength(1_048_576) body!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(['url', 'headers', 'body'], { each: true })
  truncated?: RequestTruncation[];
}

class ResponseDto {
  @IsInt() @Min(100) @Max(599) status!: number;
  @IsStringRecord(200, 16_384) headers!: Record<string, string>;
  @IsString() @MaxLength(1_048_576) body!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @IsIn(['headers', 'body'], { each: true })
  truncated?: ResponseTruncation[];
}

class FailedCallEventDto extends EventDto implements FailedCallEvent {
  @IsOptional() @IsString() @Length(1, 64) workspaceId!: string | null;
  @IsOptional() @IsString() @Length(1, 64) api!: string | null;
  @IsString() @Length(1, 64) clientIp!: string;
  @IsString() @MaxLength(200) requestId!: string;
  @IsString() @Length(1, 100) reason!: string;
  @IsNumber() @Min(0) durationMs!: number;
  @ValidateNested() @Type(() => RequestDto) request!: RequestDto;
  @ValidateNested() @Type(() => ResponseDto) response!: ResponseDto;
}

class AuthClientEventDto extends EventDto implements AuthClientEvent {
  @IsString() @Length(1, 64) workspaceId!: string;
  @IsString() @Length(1, 200) clientId!: string;
  @IsString() @MaxLength(200) clientName!: string;
  @IsIn(['created', 'revoked']) action!: 'created' | 'revoked';
  @ActorField() actor!: ActorDto;
  @IsIn(['ui', 'api', 'system']) source: 'ui' | 'api' | 'system' = 'system';
  @IsOptional() @IsString() @MaxLength(200) requestId?: string;
}

class TokenEventDto extends EventDto implements TokenEvent {
  @IsOptional() @IsString() @Length(1, 64) workspaceId!: string | null;
  @IsOptional() @IsString() @Length(1, 200) clientId!: string | null;
  @IsIn(['issued', 'error']) outcome!: 'issued' | 'error';
  @IsOptional() @IsInt() errorCode?: number;
  @IsOptional() @IsString() @MaxLength(200) error?: string;
  @IsOptional() @Truncate(500) @IsString() errorMessage?: string;
  @IsOptional() @IsString() @MaxLength(500) scope?: string;
  @IsOptional() @IsString() @MaxLength(500) audience?: string;
  @IsOptional() @IsString() @MaxLength(200) jti?: string;
  @IsString() @Length(1, 64) clientIp!: string;
  @IsOptional() @Truncate(1024) @IsString() userAgent?: string;
  @IsOptional() @IsString() @MaxLength(200) requestId?: string;
}

class IpCountDto {
  @IsString() @Length(1, 64) workspaceId!: string;
  @IsString() @Length(1, 64) api!: string;
  @IsString() @Length(1, 64) ip!: string;
  @IsInt() @Min(0) requests!: number;
}

class ClientIpCountsEventDto extends EventDto implements ClientIpCountsEvent {
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => IpCountDto)
  counts!: IpCountDto[];
}

// ---- the two ways of checking one parsed message --------------------------------------------

type Json = Record<string, unknown>;
const REFUSED = 'refused';
const isJsonObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

interface Kind {
  readonly type: RecordType;
  readonly dto: new () => object;
  readonly check: Check;
  readonly nested: readonly string[];
}

/** As parse-event.ts did it: fit, plainToInstance, validateSync, a date check, redaction. */
function byDtos(kind: Kind, json: unknown): unknown {
  if (!isJsonObject(json)) return REFUSED;
  if (kind.type === 'failed_call') fitFailedCall(json);
  const instance = plainToInstance(kind.dto, json);
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0 || Number.isNaN(Date.parse((instance as { at: string }).at))) {
    return REFUSED;
  }
  return redactValue(instance);
}

function byChecks(kind: Kind, json: unknown): unknown {
  if (!isJsonObject(json)) return REFUSED;
  if (kind.type === 'failed_call') fitFailedCall(json);
  const checked = kind.check(json);
  return checked === INVALID ? REFUSED : redactValue(checked);
}

/** A nested object that is absent or an array (refused now, let through by the DTOs). */
function nestedNotObject(kind: Kind, json: unknown): boolean {
  if (!isJsonObject(json)) return false;
  if (kind.nested.some((key) => json[key] === undefined || Array.isArray(json[key]))) return true;
  return Array.isArray(json.counts) && json.counts.some((count) => Array.isArray(count));
}

// ---- generated events ------------------------------------------------------------------------

/**
 * Characters that class-validator counts unlike `.length` (pairs, variation selectors). No NUL
 * or unpaired surrogate: those are replaced before an event is checked (fit-event.ts).
 */
const char = fc.constantFrom('a', ' ', 'é', '😀', '\ufe0f', '\ufe0e');
const odd = fc.array(char, { maxLength: 6 }).map((chars) => chars.join(''));

/** A string around the limits of `Length(min, max)`. */
function str(min: number, max: number): fc.Arbitrary<string> {
  const near = [min, max, max + 1, Math.max(0, min - 1)];
  return fc.oneof(
    { weight: 12, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 12) }) },
    { weight: 1, arbitrary: odd },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...near), fc.constantFrom('a', '😀', 'a\ufe0f', '\ufe0f'))
        .map(([n, unit]) => unit.repeat(n)),
    },
  );
}

const timestamp = fc.oneof(
  {
    weight: 30,
    arbitrary: fc
      .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
      .map((date) => date.toISOString()),
  },
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    '2024-05-01T10:00:00Z',
    '2024-05-01T10:00:00.123+02:00',
    '2024-05-01',
    '2024-02-30T10:00:00Z',
    '2024-05-01 10:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-05-01T24:00:00Z',
    '20240501T100000Z',
    'yesterday',
    '',
  ),
);

/**
 * Keys named like a member of Object.prototype (`constructor`, `toString`, `__proto__`) are left
 * out: class-transformer dropped them from nested data (the DTOs' copy of `before`, `headers`),
 * the checks keep them (the difference is its own case below).
 */
const key = fc.string({ maxLength: 8 }).filter((name) => !(name in Object.prototype));
function withoutPrototypeNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypeNames);
  if (!isJsonObject(value)) return value;
  const entries = Object.entries(value).filter(([name]) => !(name in Object.prototype));
  return Object.fromEntries(entries.map(([name, item]) => [name, withoutPrototypeNames(item)]));
}

const SOME_WORDS = ['ui', 'system', 'admin', 'robot', 'browser', 'revoked', 'maybe', 'body'];
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 100_000 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(Infinity, -0, 0.5, 599, 600, 99, ...SOME_WORDS),
  fc.string({ maxLength: 4 }),
  odd,
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), { maxLength: 2 }),
  fc.dictionary(key, fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

/**
 * An object of `fields` (the `optional` ones sometimes absent), then up to two changes: a field
 * left out, a field set to a value of any type, or an unknown field added.
 */
function shaped(
  fields: Record<string, fc.Arbitrary<unknown>>,
  optional: readonly string[] = [],
): fc.Arbitrary<Json> {
  const keys = Object.keys(fields);
  const requiredKeys = keys.filter((key) => !optional.includes(key));
  const change = fc.oneof(
    fc.record({ drop: fc.constantFrom(...keys) }),
    fc.record({ key: fc.constantFrom(...keys, 'extra', 'Id', 'x-unknown'), value: junk }),
  );
  return fc
    .tuple(
      fc.record(fields, { requiredKeys }),
      fc.oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        fc.array(change, { minLength: 1, maxLength: 2 }),
      ),
    )
    .map(([base, changes]) => {
      const object: Json = { ...base };
      for (const item of changes) {
        if ('drop' in item) Reflect.deleteProperty(object, item.drop);
        else object[item.key] = item.value;
      }
      return object;
    });
}

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, fc.constant(null));
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 15, arbitrary }, { weight: 1, arbitrary: junk });

const actor = sometimes(
  fc.oneof(
    { weight: 8, arbitrary: shaped(actorFields(), ['email']) },
    { weight: 1, arbitrary: fc.array(shaped(actorFields()), { maxLength: 2 }) },
  ),
);
function actorFields() {
  return {
    type: fc.constantFrom('admin', 'token', 'system'),
    id: str(1, 200),
    email: maybe(
      fc.oneof(
        fc.emailAddress(),
        fc.constantFrom('a@b', 'admin@example.com', `${'a'.repeat(64)}@${'b'.repeat(260)}.com`),
        str(0, 320),
      ),
    ),
  };
}

const headers = sometimes(
  fc.dictionary(key, fc.oneof({ weight: 30, arbitrary: fc.string({ maxLength: 8 }) }, junk), {
    maxKeys: 4,
  }),
);
const truncated = (items: readonly string[], max: number) =>
  maybe(
    fc.oneof(
      { weight: 8, arbitrary: fc.subarray([...items]) },
      fc.array(fc.constantFrom(...items, 'x'), { maxLength: max + 1 }),
    ),
  );

const EVENT = { id: str(1, 100), at: timestamp };
const json = fc.jsonValue({ maxDepth: 2 }).map(withoutPrototypeNames);

const changes = shaped(
  {
    ...EVENT,
    workspaceId: maybe(str(1, 64)),
    actor,
    action: str(1, 200),
    target: maybe(str(0, 500)),
    before: json,
    after: json,
    source: fc.constantFrom('ui', 'api', 'system'),
    requestId: maybe(str(0, 200)),
    clientIp: maybe(str(0, 64)),
  },
  ['workspaceId', 'target', 'before', 'after', 'requestId', 'clientIp'],
);

const request = shaped(
  {
    method: str(1, 16),
    url: fc.oneof({ weight: 8, arbitrary: str(1, 40) }, fc.constant('/a'.repeat(4200))),
    headers,
    body: fc.string({ maxLength: 40 }),
    truncated: truncated(['url', 'headers', 'body'], 3),
  },
  ['truncated'],
);
const response = shaped(
  {
    status: fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 100, max: 599 }) },
      fc.integer({ min: 90, max: 610 }),
    ),
    headers,
    body: fc.oneof(fc.string({ maxLength: 40 }), odd),
    truncated: truncated(['headers', 'body'], 2),
  },
  ['truncated'],
);
const failedCalls = shaped(
  {
    ...EVENT,
    workspaceId: maybe(str(1, 64)),
    api: maybe(str(1, 64)),
    clientIp: str(1, 64),
    requestId: str(0, 200),
    reason: fc.oneof(str(1, 100), fc.constant('r'.repeat(300))),
    durationMs: fc.oneof({ weight: 8, arbitrary: fc.nat() }, fc.double({ min: -1, noNaN: true })),
    request: sometimes(fc.oneof({ weight: 20, arbitrary: request }, fc.constant([]))),
    response: sometimes(response),
  },
  ['workspaceId', 'api'],
);

const authClients = shaped(
  {
    ...EVENT,
    workspaceId: str(1, 64),
    clientId: str(1, 200),
    clientName: str(0, 200),
    action: fc.constantFrom('created', 'revoked'),
    actor,
    source: fc.constantFrom('ui', 'api', 'system'),
    requestId: maybe(str(0, 200)),
  },
  ['source', 'requestId'],
);

const tokens = shaped(
  {
    ...EVENT,
    workspaceId: maybe(str(1, 64)),
    clientId: maybe(str(1, 200)),
    outcome: fc.constantFrom('issued', 'error'),
    errorCode: maybe(fc.oneof(fc.integer(), fc.double({ noNaN: true }))),
    error: maybe(str(0, 200)),
    errorMessage: maybe(fc.oneof(str(0, 500), fc.constant('m😀'.repeat(300)))),
    scope: maybe(str(0, 500)),
    audience: maybe(str(0, 500)),
    jti: maybe(str(0, 200)),
    clientIp: str(1, 64),
    userAgent: maybe(fc.oneof(str(0, 1024), fc.constant('u'.repeat(2000)))),
    requestId: maybe(str(0, 200)),
  },
  [
    'workspaceId',
    'clientId',
    'errorCode',
    'error',
    'errorMessage',
    'scope',
    'audience',
    'jti',
  ].concat(['userAgent', 'requestId']),
);

const count = shaped({
  workspaceId: str(1, 64),
  api: str(1, 64),
  ip: str(1, 64),
  requests: fc.integer({ min: -2, max: 1_000_000 }),
});
const clientIps = shaped({
  ...EVENT,
  counts: sometimes(
    fc.array(fc.oneof({ weight: 20, arbitrary: count }, junk, fc.array(count, { maxLength: 1 })), {
      maxLength: 3,
    }),
  ),
});

const kind = (type: RecordType, dto: Kind['dto'], check: Check, ...nested: string[]): Kind => ({
  type,
  dto,
  check,
  nested,
});
const KINDS: readonly [Kind, fc.Arbitrary<Json>][] = [
  [kind('change', ChangeEventDto, checkChange, 'actor'), changes],
  [kind('failed_call', FailedCallEventDto, checkFailedCall, 'request', 'response'), failedCalls],
  [kind('auth_client', AuthClientEventDto, checkAuthClient, 'actor'), authClients],
  [kind('token', TokenEventDto, checkToken), tokens],
  [kind('client_ips', ClientIpCountsEventDto, checkClientIps), clientIps],
];

describe('event checks (property)', () => {
  it.each(KINDS.map(([kind, events]) => [kind.type, kind, events] as const))(
    'accept and keep %s events exactly as the DTOs did',
    (_type, kind, events) => {
      const seen = { accepted: 0, refused: 0 };
      fc.assert(
        fc.property(events, (event) => {
          const expected = nestedNotObject(kind, event)
            ? REFUSED
            : byDtos(kind, structuredClone(event));
          const actual = byChecks(kind, structuredClone(event));
          expect(actual).toEqual(expected);
          seen[actual === REFUSED ? 'refused' : 'accepted'] += 1;
        }),
        { numRuns: 2000 },
      );
      // both sides of every rule get exercised
      expect(seen.accepted).toBeGreaterThan(200);
      expect(seen.refused).toBeGreaterThan(200);
    },
  );
});
