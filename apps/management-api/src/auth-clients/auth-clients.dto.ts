import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  isISO8601,
  isRFC3339,
  IsString,
  Length,
  Matches,
  ValidateBy,
} from 'class-validator';
import { AUTH_CLIENT_ID } from '@loyalty-edge/token-contracts';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import type { CreateAuthClientRequest } from '@loyalty-edge/management-contracts';

/**
 * An RFC 3339 date-time with a time zone (`2026-12-31T00:00:00Z`) on a real calendar day; a bare
 * date or a local time without an offset is refused.
 */
function IsDateTime(): PropertyDecorator {
  return ValidateBy({
    name: 'isDateTime',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && isRFC3339(value) && isISO8601(value, { strict: true }),
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be an ISO 8601 date-time with a time zone, e.g. 2026-12-31T00:00:00Z`,
    },
  });
}

export class AuthClientParams extends WorkspaceParams {
  @ApiProperty({ example: 'lec_AbCdEfGhIjKlMnOpQrStUvWx', pattern: AUTH_CLIENT_ID.source })
  @Matches(AUTH_CLIENT_ID, { message: 'clientId must be lec_ and 24 base64url characters' })
  clientId!: string;
}

/**
 * A new auth client. The shape is checked here; the token service checks it against the
 * environment (known scopes and audiences, the latest expiry) and lists what it refuses.
 */
export class CreateAuthClientDto implements CreateAuthClientRequest {
  @ApiProperty({ example: 'CRM sync', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    example: 'Nightly customer sync from the CRM',
    minLength: 1,
    maxLength: 500,
    description: 'Why the client exists, for whoever reviews it later',
  })
  @IsString()
  @Length(1, 500)
  purpose!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2027-06-30T00:00:00Z',
    description: 'In the future, at most maxExpiryDays away (GET /api/auth-client-options)',
  })
  @IsDateTime()
  expiresAt!: string;

  @ApiProperty({
    type: [String],
    minItems: 1,
    example: ['loyalty.async_events'],
    description: 'One or more of the environment scopes',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  scopes!: string[];

  @ApiProperty({
    example: 'https://api.example.com',
    description: 'One of the environment audiences: the aud of every token',
  })
  @IsString()
  @Length(1, 500)
  audience!: string;
}

export class AuthClientDto {
  @ApiProperty({ example: 'lec_AbCdEfGhIjKlMnOpQrStUvWx' }) clientId!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: [String], example: ['loyalty.async_events'] }) scopes!: string[];
  @ApiProperty({ description: 'The aud of every token of the client' }) audience!: string;
  @ApiProperty({ description: 'The iss of its tokens (from the environment)' }) issuer!: string;
  @ApiProperty({ example: 900 }) tokenValiditySeconds!: number;
  @ApiProperty({
    enum: ['active', 'revoked', 'expired'],
    description: 'Revoked wins over expired',
  })
  status!: string;

  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Email (or id) of who created it' }) createdBy!: string;
  @ApiProperty({ enum: ['ui', 'api'] }) createdVia!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedBy!: string | null;
}

export class CreatedAuthClientDto extends AuthClientDto {
  @ApiProperty({ description: 'Shown once, never again: store it now', example: 'lecs_...' })
  clientSecret!: string;
}

export class AuthClientListDto {
  @ApiProperty({
    description: 'Whether the Async Events module is on (new clients need it)',
  })
  moduleEnabled!: boolean;

  @ApiProperty({ type: [AuthClientDto], description: 'Newest first' }) clients!: AuthClientDto[];
}

export class AuthClientOptionsDto {
  @ApiProperty({ example: 'https://api.example.com' }) issuer!: string;
  @ApiProperty({ example: 900 }) tokenValiditySeconds!: number;
  @ApiProperty({ type: [String], example: ['loyalty.async_events'] }) scopes!: string[];
  @ApiProperty({ type: [String], example: ['https://api.example.com'] }) audiences!: string[];
  @ApiProperty({ example: 366, description: 'The latest expiry of a new client, in days' })
  maxExpiryDays!: number;
}
