import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_TYPES, type Actor, type ActorType } from '@loyalty-edge/contracts';

/** The OpenAPI shape of an `Actor` in the answers below. */
class ActorView implements Actor {
  @ApiProperty({ enum: ACTOR_TYPES }) type!: ActorType;
  @ApiProperty() id!: string;
  @ApiPropertyOptional() email?: string;
}

export class ChangeEventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) workspaceId!: string | null;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
  @ApiProperty({ example: 'workspace.modules.updated' }) action!: string;
  @ApiPropertyOptional() target?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Redacted' })
  before?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Redacted' })
  after?: unknown;

  @ApiProperty({ enum: ['ui', 'api', 'system'] }) source!: string;
  @ApiPropertyOptional() requestId?: string;
  @ApiPropertyOptional() clientIp?: string;
}

export class AuthClientEventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() clientName!: string;
  @ApiProperty({ enum: ['created', 'revoked'] }) action!: string;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
  @ApiProperty({
    enum: ['ui', 'api', 'system'],
    description: 'The admin web app, automation with an access token, or the platform',
  })
  source!: string;

  @ApiPropertyOptional() requestId?: string;
}

export class TokenEventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) workspaceId!: string | null;
  @ApiProperty({ nullable: true, type: String }) clientId!: string | null;
  @ApiProperty({ enum: ['issued', 'error'] }) outcome!: string;
  @ApiPropertyOptional({ example: 220010, description: 'The numeric code of a refusal' })
  errorCode?: number;

  @ApiPropertyOptional({ example: 'invalid_client', description: 'The OAuth2 error of a refusal' })
  error?: string;

  @ApiPropertyOptional({ description: 'What the caller was told' }) errorMessage?: string;
  @ApiPropertyOptional({ example: 'loyalty.async_events' }) scope?: string;
  @ApiPropertyOptional({ description: 'The aud of the issued token' }) audience?: string;
  @ApiPropertyOptional({ description: 'The id of the issued token (never the token)' })
  jti?: string;

  @ApiProperty() clientIp!: string;
  @ApiPropertyOptional() userAgent?: string;
  @ApiPropertyOptional() requestId?: string;
}

export class FailedCallSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) api!: string | null;
  @ApiProperty() method!: string;
  @ApiProperty() url!: string;
  @ApiProperty() status!: number;
  @ApiProperty({ example: 'ip_denied' }) reason!: string;
  @ApiProperty() clientIp!: string;
  @ApiProperty() requestId!: string;
}

class RecordedRequestDto {
  @ApiProperty() method!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  headers!: Record<string, string>;

  @ApiProperty({ description: 'Redacted' }) body!: string;
}

class RecordedResponseDto {
  @ApiProperty() status!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  headers!: Record<string, string>;

  @ApiProperty() body!: string;
}

export class FailedCallDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) workspaceId!: string | null;
  @ApiProperty({ nullable: true, type: String }) api!: string | null;
  @ApiProperty() clientIp!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ type: RecordedRequestDto }) request!: RecordedRequestDto;
  @ApiProperty({ type: RecordedResponseDto }) response!: RecordedResponseDto;
}

const CURSOR = { nullable: true, type: String, description: 'null on the last page' } as const;

export class ChangesPageDto {
  @ApiProperty({ type: [ChangeEventDto] }) items!: ChangeEventDto[];
  @ApiProperty(CURSOR) nextCursor!: string | null;
}

export class AuthClientEventsPageDto {
  @ApiProperty({ type: [AuthClientEventDto] }) items!: AuthClientEventDto[];
  @ApiProperty(CURSOR) nextCursor!: string | null;
}

export class TokenEventsPageDto {
  @ApiProperty({ type: [TokenEventDto] }) items!: TokenEventDto[];
  @ApiProperty(CURSOR) nextCursor!: string | null;
}

export class FailedCallsPageDto {
  @ApiProperty({ type: [FailedCallSummaryDto] }) items!: FailedCallSummaryDto[];
  @ApiProperty(CURSOR) nextCursor!: string | null;
}
