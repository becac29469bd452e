import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_OVERLAP_SECONDS } from '@loyalty-edge/credentials-contracts';
import type { GenerateCredentialsRequest } from '@loyalty-edge/management-contracts';

export class OverlappingKeyDto {
  @ApiProperty({ example: 'lek_0123456789abcdefghijklmn' }) apiKey!: string;
  @ApiProperty({ format: 'date-time', description: 'When the old key stops working' })
  validUntil!: string;
}

export class ApiKeyDto {
  @ApiProperty({ example: 'lek_0123456789abcdefghijklmn' }) apiKey!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty({ enum: ['active', 'inactive'] }) status!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Email (or id) of who generated them' }) createdBy!: string;
  @ApiPropertyOptional({
    type: OverlappingKeyDto,
    description: 'The replaced key, while it still works (the overlap chosen at regeneration)',
  })
  previous?: OverlappingKeyDto;
}

export class GenerateCredentialsDto implements GenerateCredentialsRequest {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_OVERLAP_SECONDS,
    default: 0,
    description: 'How long the old key keeps working, in seconds (0: it stops at once)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OVERLAP_SECONDS)
  overlapSeconds?: number;
}

export class KeyUsageDto {
  @ApiProperty({ format: 'date-time', nullable: true, description: 'Latest minute with a call' })
  lastUsedAt!: string | null;
  @ApiProperty({ description: 'Distinct client IPs that called in the window' })
  clientIps!: number;
  @ApiProperty({ example: 7 }) days!: number;
}

export class CredentialsDto {
  @ApiProperty({ type: ApiKeyDto, nullable: true }) active!: ApiKeyDto | null;
  @ApiProperty({ type: KeyUsageDto, nullable: true, description: 'null while audit is away' })
  usage!: KeyUsageDto | null;
  @ApiProperty({ example: 'eu/api/antavo_request' }) credentialScope!: string;
  @ApiProperty({ example: 'https://api.example.com' }) baseUrl!: string;
}

export class GeneratedCredentialsDto extends ApiKeyDto {
  @ApiProperty({ description: 'Shown once: store it now' }) apiSecret!: string;
  @ApiProperty({ example: 'eu/api/antavo_request' }) credentialScope!: string;
  @ApiProperty({ example: 'https://api.example.com' }) baseUrl!: string;
}
