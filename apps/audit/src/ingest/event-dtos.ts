import { Transform, Type } from 'class-transformer';
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
  ValidateNested,
} from 'class-validator';
import type {
  AuditActor,
  AuthClientEvent,
  ChangeEvent,
  ClientIpCountsEvent,
  FailedCallEvent,
  RequestTruncation,
  ResponseTruncation,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';
import { IsStringRecord } from '../is-string-record.js';

/**
 * What the audit service accepts from the stream. Unknown fields are dropped (a newer publisher
 * must not poison the consumer); nullable contract fields may also be absent, and so may fields
 * added to a contract later (an older publisher's event is still stored).
 */
const ISO = { strict: true, strictSeparator: true };

/**
 * Cuts free text a caller can make as long as it likes (a User-Agent header, a refusal message
 * quoting the request) to `max` characters instead of refusing the event: a refused token event
 * would hide the request from the log.
 */
const Truncate = (max: number): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.slice(0, max) : value,
  );

class ActorDto implements AuditActor {
  @IsIn(['admin', 'token', 'system']) type!: 'admin' | 'token' | 'system';
  @IsString() @Length(1, 200) id!: string;
  @IsOptional() @IsString() @MaxLength(320) email?: string;
}

/** Fields every event has. */
abstract class EventDto {
  @IsString() @Length(1, 100) id!: string;
  @IsISO8601(ISO) at!: string;
}

export class ChangeEventDto extends EventDto implements ChangeEvent {
  @IsOptional() @IsString() @Length(1, 64) workspaceId!: string | null;
  @ValidateNested() @Type(() => ActorDto) actor!: ActorDto;
  @IsString() @Length(1, 200) action!: string;
  @IsOptional() @IsString() @MaxLength(500) target?: string;
  @Allow() before?: unknown;
  @Allow() after?: unknown;
  @IsIn(['ui', 'api', 'system']) source!: 'ui' | 'api' | 'system';
  @IsOptional() @IsString() @MaxLength(200) requestId?: string;
  @IsOptional() @IsString() @MaxLength(64) clientIp?: string;
}

/**
 * The limits are FAILED_CALL_LIMITS; fit-event.ts cuts a failed call to them before it is
 * validated, so these only refuse what is no failed call at all (wrong types, missing fields).
 */
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

export class FailedCallEventDto extends EventDto implements FailedCallEvent {
  @IsOptional() @IsString() @Length(1, 64) workspaceId!: string | null;
  @IsOptional() @IsString() @Length(1, 64) api!: string | null;
  @IsString() @Length(1, 64) clientIp!: string;
  @IsString() @MaxLength(200) requestId!: string;
  @IsString() @Length(1, 100) reason!: string;
  @IsNumber() @Min(0) durationMs!: number;
  @ValidateNested() @Type(() => RequestDto) request!: RequestDto;
  @ValidateNested() @Type(() => ResponseDto) response!: ResponseDto;
}

export class AuthClientEventDto extends EventDto implements AuthClientEvent {
  @IsString() @Length(1, 64) workspaceId!: string;
  @IsString() @Length(1, 200) clientId!: string;
  @IsString() @MaxLength(200) clientName!: string;
  @IsIn(['created', 'revoked']) action!: 'created' | 'revoked';
  @ValidateNested() @Type(() => ActorDto) actor!: ActorDto;
  /** Absent in events published before the field existed: those came from the platform. */
  @IsIn(['ui', 'api', 'system']) source: 'ui' | 'api' | 'system' = 'system';
  @IsOptional() @IsString() @MaxLength(200) requestId?: string;
}

export class TokenEventDto extends EventDto implements TokenEvent {
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

export class ClientIpCountsEventDto extends EventDto implements ClientIpCountsEvent {
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => IpCountDto)
  counts!: IpCountDto[];
}
