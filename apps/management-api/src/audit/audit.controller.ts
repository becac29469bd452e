import { Controller, Get, Param, Query, type StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  AuditRpc,
  type AuthClientEvent,
  type ChangeEvent,
  type Page,
  type TokenEvent,
} from '@loyalty-edge/audit-contracts';
import { Role } from '../access/role.decorator.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import { AuditQueries } from './audit-queries.js';
import { AuthClientsQueryDto, ChangesQueryDto, TokensQueryDto } from './audit-query.dto.js';
import { AuthClientEventsPageDto, ChangesPageDto, TokenEventsPageDto } from './audit.dto.js';
import { AUTH_CLIENT_COLUMNS, CHANGE_COLUMNS, TOKEN_COLUMNS } from './export-columns.js';
import { EXPORT_TYPES, respond } from './export-response.js';

@ApiTags('audit')
@Controller('api/workspaces/:ws/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueries) {}

  @Get('changes')
  @Role('viewer')
  @ApiOperation({ summary: 'Settings changes by admins and tokens' })
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({ type: ChangesPageDto })
  async changes(
    @Param() params: WorkspaceParams,
    @Query() query: ChangesQueryDto,
  ): Promise<Page<ChangeEvent> | StreamableFile> {
    const filters = { action: query.action, actor: query.actor };
    return respond(
      await this.audit.list(AuditRpc.changes, params.ws, query, filters, CHANGE_COLUMNS),
    );
  }

  @Get('auth-clients')
  @Role('viewer')
  @ApiOperation({ summary: 'Auth client lifecycle: created, revoked' })
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({ type: AuthClientEventsPageDto })
  async authClients(
    @Param() params: WorkspaceParams,
    @Query() query: AuthClientsQueryDto,
  ): Promise<Page<AuthClientEvent> | StreamableFile> {
    const filters = { clientId: query.clientId, action: query.action };
    return respond(
      await this.audit.list(AuditRpc.authClients, params.ws, query, filters, AUTH_CLIENT_COLUMNS),
    );
  }

  @Get('tokens')
  @Role('viewer')
  @ApiOperation({
    summary: 'Token endpoint log: issued tokens and refusals with their error, code and message',
  })
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({ type: TokenEventsPageDto })
  async tokens(
    @Param() params: WorkspaceParams,
    @Query() query: TokensQueryDto,
  ): Promise<Page<TokenEvent> | StreamableFile> {
    const filters = { clientId: query.clientId, outcome: query.outcome, error: query.error };
    return respond(
      await this.audit.list(AuditRpc.tokens, params.ws, query, filters, TOKEN_COLUMNS),
    );
  }
}
