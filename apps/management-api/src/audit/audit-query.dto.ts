import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export const EXPORT_FORMATS = ['json', 'csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Keyset pagination, a time range, and an optional export format (csv, ndjson). */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() to?: string;

  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description: 'csv or ndjson stream every matching record as a download',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export class ChangesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'workspace.modules.updated' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;

  @ApiPropertyOptional({ description: 'Actor id or email' })
  @IsOptional()
  @IsString()
  @Length(1, 320)
  actor?: string;
}

export class AuthClientsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) clientId?: string;

  @ApiPropertyOptional({ enum: ['created', 'revoked'] })
  @IsOptional()
  @IsIn(['created', 'revoked'])
  action?: string;
}

export class TokensQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) clientId?: string;

  @ApiPropertyOptional({ enum: ['issued', 'error'] })
  @IsOptional()
  @IsIn(['issued', 'error'])
  outcome?: string;

  @ApiPropertyOptional({ example: 'invalid_client', description: 'The OAuth2 error of refusals' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  error?: string;
}

export class ErrorsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'events' }) @IsOptional() @IsString() @Length(1, 50) api?: string;

  @ApiPropertyOptional({ example: 403 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(400)
  @Max(599)
  status?: number;

  @ApiPropertyOptional({ example: 'ip_denied' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  reason?: string;
}
