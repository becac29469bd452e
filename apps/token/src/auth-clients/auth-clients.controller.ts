import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import type { RequestOf } from '@loyalty-edge/contracts';
import {
  TokenRpc,
  type AuthClientOptions,
  type AuthClientView,
  type ChangeSource,
  type CreatedAuthClient,
} from '@loyalty-edge/token-contracts';
import { ActorDto, ActorField } from '@loyalty-edge/runtime';
import { AuthClientsService } from './auth-clients.service.js';

class WorkspaceDto implements RequestOf<typeof TokenRpc.listClients> {
  @IsString() @Length(1, 64) workspaceId!: string;
}

class ClientRefDto extends WorkspaceDto implements RequestOf<typeof TokenRpc.getClient> {
  @IsString() @Length(1, 100) clientId!: string;
}

/** Lengths, scopes, audience and expiry are checked by the service against the environment. */
class CreateDto extends WorkspaceDto implements RequestOf<typeof TokenRpc.createClient> {
  @IsString() @MaxLength(2000) name!: string;
  @IsString() @MaxLength(5000) purpose!: string;
  @IsString() @MaxLength(100) expiresAt!: string;
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) scopes!: string[];
  @IsString() @MaxLength(1000) audience!: string;
  @ActorField() actor!: ActorDto;
  @IsIn(['ui', 'api']) source!: ChangeSource;
  @IsOptional() @IsString() @MaxLength(200) requestId?: string;
}

class RevokeDto extends ClientRefDto implements RequestOf<typeof TokenRpc.revokeClient> {
  @ActorField() actor!: ActorDto;
  @IsIn(['ui', 'api']) source!: ChangeSource;
  @IsOptional() @IsString() @MaxLength(200) requestId?: string;
}

@Controller()
export class AuthClientsController {
  constructor(private readonly clients: AuthClientsService) {}

  @MessagePattern(TokenRpc.options.subject)
  options(): AuthClientOptions {
    return this.clients.options();
  }

  @MessagePattern(TokenRpc.createClient.subject)
  create(@Payload() dto: CreateDto): Promise<CreatedAuthClient> {
    return this.clients.create(dto);
  }

  @MessagePattern(TokenRpc.listClients.subject)
  list(@Payload() dto: WorkspaceDto): Promise<AuthClientView[]> {
    return this.clients.list(dto.workspaceId);
  }

  @MessagePattern(TokenRpc.getClient.subject)
  get(@Payload() dto: ClientRefDto): Promise<AuthClientView | null> {
    return this.clients.get(dto.workspaceId, dto.clientId);
  }

  @MessagePattern(TokenRpc.revokeClient.subject)
  revoke(@Payload() dto: RevokeDto): Promise<AuthClientView> {
    return this.clients.revoke(dto);
  }
}
