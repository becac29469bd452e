import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditChainRpc, type ChainVerification } from '@loyalty-edge/audit-contracts';
import { RpcClient } from '@loyalty-edge/nats';
import { Role } from '../access/role.decorator.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import { ChainVerificationDto } from './audit-verify.dto.js';

/** A walk over a large workspace's chains takes seconds, not the default request timeout. */
const VERIFY_TIMEOUT_MS = 120_000;

@ApiTags('audit')
@Controller('api/workspaces/:ws/audit/verify')
export class AuditVerifyController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @Role('operator')
  @ApiOperation({
    summary: "Verify the workspace's audit hash chains (operators)",
    description:
      'Walks the chain of every log (changes, auth clients, tokens, failed calls) and reports ' +
      'the entries per log, or the first broken link of each: altered, removed, reordered or ' +
      'truncated (docs/audit.md).',
  })
  @ApiOkResponse({ type: ChainVerificationDto })
  verify(@Param() params: WorkspaceParams): Promise<ChainVerification> {
    return this.rpc.request(AuditChainRpc.verify, { workspaceId: params.ws }, VERIFY_TIMEOUT_MS);
  }
}
