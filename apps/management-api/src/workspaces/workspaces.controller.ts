import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WorkspaceView } from '@loyalty-edge/management-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import { CreateWorkspaceDto, ModulesDto, WorkspaceDto, WorkspaceParams } from './workspace.dto.js';
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
  @ApiOkResponse({ type: WorkspaceDto })
  get(@CurrentCaller() caller: Caller, @Param() params: WorkspaceParams): Promise<WorkspaceView> {
    return this.workspaces.get(params.ws, caller.workspaceRole ?? 'viewer');
  }

  @Put(':ws/modules')
  @Role('operator')
  @ApiOperation({ summary: 'Switch modules on or off (operators)' })
  @ApiOkResponse({ type: WorkspaceDto })
  setModules(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: ModulesDto,
  ): Promise<WorkspaceView> {
    return this.workspaces.setModules(caller, params.ws, body);
  }
}
