import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IsString, Length } from 'class-validator';
import { AuditChainRpc, type ChainVerification } from '@loyalty-edge/audit-contracts';
import { ChainVerifier } from './chain-verifier.js';

class VerifyDto {
  @IsString() @Length(1, 64) workspaceId!: string;
}

@Controller()
export class ChainController {
  constructor(private readonly verifier: ChainVerifier) {}

  @MessagePattern(AuditChainRpc.verify.subject)
  verify(@Payload() dto: VerifyDto): Promise<ChainVerification> {
    return this.verifier.verify(dto.workspaceId);
  }
}
