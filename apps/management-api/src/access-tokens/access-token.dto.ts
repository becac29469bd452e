import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, IsUUID, Length } from 'class-validator';
import type { CreateAccessTokenRequest } from '@loyalty-edge/management-contracts';

export class CreateAccessTokenDto implements CreateAccessTokenRequest {
  @ApiProperty({ example: 'terraform-ci', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-31T00:00:00Z' })
  @IsISO8601({ strict: true })
  expiresAt!: string;
}

export class AccessTokenParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}

export class AccessTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'lep_AbC123', description: 'First characters, to recognise it' })
  hint!: string;

  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedAccessTokenDto extends AccessTokenDto {
  @ApiProperty({ description: 'The token itself: shown once, never again', example: 'lep_...' })
  token!: string;
}
