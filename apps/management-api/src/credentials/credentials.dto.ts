import { ApiProperty } from '@nestjs/swagger';

export class ApiKeyDto {
  @ApiProperty({ example: 'lek_0123456789abcdefghijklmn' }) apiKey!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty({ enum: ['active', 'inactive'] }) status!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Email (or id) of who generated them' }) createdBy!: string;
}

export class CredentialsDto {
  @ApiProperty({ type: ApiKeyDto, nullable: true }) active!: ApiKeyDto | null;
  @ApiProperty({ example: 'eu/api/antavo_request' }) credentialScope!: string;
  @ApiProperty({ example: 'https://api.example.com' }) baseUrl!: string;
}

export class GeneratedCredentialsDto extends ApiKeyDto {
  @ApiProperty({ description: 'Shown once: store it now' }) apiSecret!: string;
  @ApiProperty({ example: 'eu/api/antavo_request' }) credentialScope!: string;
  @ApiProperty({ example: 'https://api.example.com' }) baseUrl!: string;
}
