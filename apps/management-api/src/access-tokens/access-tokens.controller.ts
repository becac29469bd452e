import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AccessTokenView, CreatedAccessToken } from '@loyalty-edge/management-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import {
  AccessTokenDto,
  AccessTokenParams,
  CreateAccessTokenDto,
  CreatedAccessTokenDto,
} from './access-token.dto.js';
import { AccessTokensService } from './access-tokens.service.js';

@ApiTags('access tokens')
@Controller('api/tokens')
export class AccessTokensController {
  constructor(private readonly tokens: AccessTokensService) {}

  @Post()
  @Role('authenticated')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Create a personal access token (shown once) from a session' })
  @ApiCreatedResponse({ type: CreatedAccessTokenDto })
  create(
    @CurrentCaller() caller: Caller,
    @Body() body: CreateAccessTokenDto,
  ): Promise<CreatedAccessToken> {
    return this.tokens.create(caller, { name: body.name, expiresAt: new Date(body.expiresAt) });
  }

  @Get()
  @Role('authenticated')
  @ApiOperation({ summary: "The caller's access tokens (never the tokens themselves)" })
  @ApiOkResponse({ type: [AccessTokenDto] })
  list(@CurrentCaller() caller: Caller): Promise<AccessTokenView[]> {
    return this.tokens.list(caller);
  }

  @Delete(':id')
  @Role('authenticated')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your tokens, at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(@CurrentCaller() caller: Caller, @Param() params: AccessTokenParams): Promise<void> {
    await this.tokens.revoke(caller, params.id);
  }
}
