import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import { RateLimitDto, RateLimitViewDto } from './rate-limit.dto.js';
import { RateLimitsService, type RateLimitView } from './rate-limits.service.js';

@ApiTags('rate limits')
@Controller('api/workspaces/:ws/rate-limit')
export class RateLimitsController {
  constructor(private readonly rateLimits: RateLimitsService) {}

  @Get()
  @Role('viewer')
  @ApiOperation({ summary: "The workspace's rate limit per API key and auth client" })
  @ApiOkResponse({ type: RateLimitViewDto })
  get(@Param() params: WorkspaceParams): Promise<RateLimitView> {
    return this.rateLimits.get(params.ws);
  }

  @Put()
  @Role('operator')
  @ApiOperation({
    summary:
      'Set the rate limit per API key and auth client (operators); every gateway applies it within a second',
    description:
      'Over the limit, the gateway answers 429 TooManyRequestsException (code 110429) with Retry-After.',
  })
  @ApiOkResponse({ type: RateLimitViewDto })
  set(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: RateLimitDto,
  ): Promise<RateLimitView> {
    return this.rateLimits.set(caller, params.ws, body.requestsPerMinute);
  }
}
