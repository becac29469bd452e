import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { RequestOf } from '@loyalty-edge/contracts';
import { TokenRpc, type IssuedToken } from '@loyalty-edge/token-contracts';
import { IssuanceService } from './issuance.service.js';

/** Shapes only: what the values mean (and their refusals as OAuth2 errors) is the service's. */
class IssueDto implements RequestOf<typeof TokenRpc.issue> {
  @IsString() @MaxLength(1000) clientId!: string;
  @IsString() @MaxLength(1000) clientSecret!: string;
  @IsOptional() @IsString() @MaxLength(1000) scope?: string;
  @IsOptional() @IsString() @MaxLength(200) requestId?: string;
}

@Controller()
export class IssuanceController {
  constructor(private readonly issuance: IssuanceService) {}

  @MessagePattern(TokenRpc.issue.subject)
  issue(@Payload() dto: IssueDto): Promise<IssuedToken> {
    return this.issuance.issue(dto);
  }
}
