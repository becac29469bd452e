import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  SignatureRpc,
  type DerivedKey,
  type EnforcementSet,
  type SetEnforcementResult,
} from '@loyalty-edge/signature-contracts';
import { EnforcementService } from './enforcement/enforcement.service.js';
import { SigningKeysService } from './signing-keys/signing-keys.service.js';

class WorkspaceDto {
  @IsString() @Length(1, 64) workspaceId!: string;
}

class ActorDto {
  @IsIn(['admin', 'token', 'system']) type!: 'admin' | 'token' | 'system';
  @IsString() @Length(1, 200) id!: string;
  @IsOptional() @IsEmail() email?: string;
}

class SetEnforcementDto extends WorkspaceDto {
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) apis!: string[];
  @IsInt() @Min(0) expectedRevision!: number;
  @ValidateNested() @Type(() => ActorDto) actor!: ActorDto;
}

class DeriveDto {
  @IsString() @Length(1, 100) apiKey!: string;
  @Matches(/^\d{8}$/) shortDate!: string;
  @IsIn(['SHA256', 'SHA512']) hashAlgo!: 'SHA256' | 'SHA512';
}

@Controller()
export class SignatureController {
  constructor(
    private readonly enforcement: EnforcementService,
    private readonly keys: SigningKeysService,
  ) {}

  @MessagePattern(SignatureRpc.getEnforcement.subject)
  get(@Payload() dto: WorkspaceDto): Promise<EnforcementSet> {
    return this.enforcement.get(dto.workspaceId);
  }

  @MessagePattern(SignatureRpc.setEnforcement.subject)
  set(@Payload() dto: SetEnforcementDto): Promise<SetEnforcementResult> {
    return this.enforcement.set(dto);
  }

  @MessagePattern(SignatureRpc.deriveKey.subject)
  derive(@Payload() dto: DeriveDto): Promise<DerivedKey | null> {
    return this.keys.derive(dto);
  }
}
