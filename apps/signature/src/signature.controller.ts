import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Length,
  Matches,
  Min,
} from 'class-validator';
import type { RequestOf } from '@loyalty-edge/contracts';
import {
  SignatureRpc,
  type DerivedKey,
  type EnforcementSet,
  type SetEnforcementResult,
} from '@loyalty-edge/signature-contracts';
import { ActorDto, ActorField } from '@loyalty-edge/runtime';
import { EnforcementService } from './enforcement/enforcement.service.js';
import { SigningKeysService } from './signing-keys/signing-keys.service.js';

class WorkspaceDto implements RequestOf<typeof SignatureRpc.getEnforcement> {
  @IsString() @Length(1, 64) workspaceId!: string;
}

class SetEnforcementDto
  extends WorkspaceDto
  implements RequestOf<typeof SignatureRpc.setEnforcement>
{
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) apis!: string[];
  @IsInt() @Min(0) expectedRevision!: number;
  @ActorField() actor!: ActorDto;
}

class DeriveDto implements RequestOf<typeof SignatureRpc.deriveKey> {
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
