import { Body, Controller, Get, Param, Post, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { WorkspaceView } from '@loyalty-edge/management-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import {
  ETAG_HEADER,
  IfMatch,
  RequiresRevision,
  sendETag,
} from '../revisions/revision.decorators.js';
import {
  CreateWorkspaceDto,
  ModuleParams,
  ModuleSwitchDto,
  WorkspaceDto,
  WorkspaceParams,
} from './workspace.dto.js';
import { WorkspacesService } from './workspaces.service.js';

@ApiTags('workspaces')
@Controller('api/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Get()
  @Role('authenticated')
  @ApiOperation({ summary: "The caller's workspaces (every workspace for operators)" })
  @ApiOkResponse({ type: [WorkspaceDto] })
  list(@CurrentCaller() caller: Caller): Promise<WorkspaceView[]> {
    return this.workspaces.listFor(caller.principal);
  }

  @Post()
  @Role('operator')
  @ApiOperation({ summary: 'Create a workspace (operators)' })
  @ApiCreatedResponse({ type: WorkspaceDto })
  create(
    @CurrentCaller() caller: Caller,
    @Body() body: CreateWorkspaceDto,
  ): Promise<WorkspaceView> {
    return this.workspaces.create(caller, body);
  }

  @Get(':ws')
  @Role('viewer')
  @ApiOperation({ summary: 'A workspace; its ETag is the revision of its modules' })
  @ApiOkResponse({ type: WorkspaceDto, headers: ETAG_HEADER })
  async get(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WorkspaceView> {
    const workspace = await this.workspaces.get(params.ws, caller.workspaceRole ?? 'viewer');
    sendETag(reply, workspace.modulesRevision);
    return workspace;
  }

  @Put(':ws/modules/:module')
  @Role('operator')
  @RequiresRevision("the workspace's modules")
  @ApiOperation({
    summary: 'Switch one module on or off (operators)',
    description:
      'One module per request, made from the revision read (`If-Match`: the ETag of `GET /api/workspaces/{ws}`, or its `modulesRevision`): a switch made since by someone else answers 412 with the current workspace, and nothing changes.',
  })
  @ApiOkResponse({ type: WorkspaceDto, headers: ETAG_HEADER })
  async setModule(
    @CurrentCaller() caller: Caller,
    @Param() params: ModuleParams,
    @Body() body: ModuleSwitchDto,
    @IfMatch("the workspace's modules") expected: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WorkspaceView> {
    const workspace = await this.workspaces.setModule(caller, params.ws, {
      module: params.module,
      enabled: body.enabled,
      expected,
    });
    sendETag(reply, workspace.modulesRevision);
    return workspace;
  }
}
