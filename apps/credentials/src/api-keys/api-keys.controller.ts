import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { RequestOf } from '@loyalty-edge/contracts';
import {
  CredentialsRpc,
  MAX_OVERLAP_SECONDS,
  type ApiKeyView,
  type GeneratedCredentials,
} from '@loyalty-edge/credentials-contracts';
import { ActorDto, ActorField } from '@loyalty-edge/runtime';
import { ApiKeysService } from './api-keys.service.js';

class WorkspaceDto implements RequestOf<typeof CredentialsRpc.getActive> {
  @IsString() @Length(1, 64) workspaceId!: string;
}

class GenerateDto extends WorkspaceDto implements RequestOf<typeof CredentialsRpc.generate> {
  @ActorField() actor!: ActorDto;
  @IsOptional() @IsString() requestId?: string;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_OVERLAP_SECONDS) overlapSeconds?: number;
}

class ResolveDto implements RequestOf<typeof CredentialsRpc.resolveSecret> {
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
