import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import {
  CredentialsRpc,
  type ApiKeyView,
  type GeneratedCredentials,
} from '@loyalty-edge/credentials-contracts';
import { ApiKeysService } from './api-keys.service.js';

class ActorDto {
  @IsIn(['admin', 'token', 'system']) type!: 'admin' | 'token' | 'system';
  @IsString() @Length(1, 200) id!: string;
  @IsOptional() @IsEmail() email?: string;
}

class WorkspaceDto {
  @IsString() @Length(1, 64) workspaceId!: string;
}

class GenerateDto extends WorkspaceDto {
  @ValidateNested() @Type(() => ActorDto) actor!: ActorDto;
  @IsOptional() @IsString() requestId?: string;
}

class ResolveDto {
  @IsString() @Length(1, 100) apiKey!: string;
}

@Controller()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @MessagePattern(CredentialsRpc.generate.subject)
  generate(@Payload() dto: GenerateDto): Promise<GeneratedCredentials> {
    return this.apiKeys.generate(dto);
  }

  @MessagePattern(CredentialsRpc.getActive.subject)
  getActive(@Payload() dto: WorkspaceDto): Promise<ApiKeyView | null> {
    return this.apiKeys.getActive(dto.workspaceId);
  }

  @MessagePattern(CredentialsRpc.resolveSecret.subject)
  resolveSecret(
    @Payload() dto: ResolveDto,
  ): Promise<{ workspaceId: string; secret: string } | null> {
    return this.apiKeys.resolveSecret(dto.apiKey);
  }
}
