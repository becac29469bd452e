import { Body, Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  AuthClientOptions,
  AuthClientView,
  CreatedAuthClient,
} from '@loyalty-edge/token-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import {
  AuthClientDto,
  AuthClientListDto,
  AuthClientOptionsDto,
  AuthClientParams,
  CreateAuthClientDto,
  CreatedAuthClientDto,
} from './auth-clients.dto.js';
import { AuthClientsService, type AuthClientList } from './auth-clients.service.js';

@ApiTags('auth clients')
@Controller('api')
export class AuthClientsController {
  constructor(private readonly clients: AuthClientsService) {}

  @Get('auth-client-options')
  @Role('authenticated')
  @ApiOperation({
    summary: 'What a new auth client may be given here: scopes, audiences, issuer, validity',
  })
  @ApiOkResponse({ type: AuthClientOptionsDto })
  options(): Promise<AuthClientOptions> {
    return this.clients.options();
  }

  @Get('workspaces/:ws/auth-clients')
  @Role('viewer')
  @ApiOperation({ summary: "The workspace's auth clients, newest first (never their secrets)" })
  @ApiOkResponse({ type: AuthClientListDto })
  list(@Param() params: WorkspaceParams): Promise<AuthClientList> {
    return this.clients.list(params.ws);
  }

  @Post('workspaces/:ws/auth-clients')
  @Role('admin')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Create an auth client (needs the Async Events module); its secret is shown once',
  })
  @ApiCreatedResponse({ type: CreatedAuthClientDto })
  create(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: CreateAuthClientDto,
  ): Promise<CreatedAuthClient> {
    return this.clients.create(caller, params.ws, body);
  }

  @Get('workspaces/:ws/auth-clients/:clientId')
  @Role('viewer')
  @ApiOperation({ summary: 'One auth client (never its secret)' })
  @ApiOkResponse({ type: AuthClientDto })
  get(@Param() params: AuthClientParams): Promise<AuthClientView> {
    return this.clients.get(params.ws, params.clientId);
  }

  @Post('workspaces/:ws/auth-clients/:clientId/revoke')
  @Role('admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Revoke an auth client: its tokens stop working at once; irreversible, idempotent, allowed with the module off',
  })
  @ApiOkResponse({ type: AuthClientDto })
  revoke(
    @CurrentCaller() caller: Caller,
    @Param() params: AuthClientParams,
  ): Promise<AuthClientView> {
    return this.clients.revoke(caller, params.ws, params.clientId);
  }
}
