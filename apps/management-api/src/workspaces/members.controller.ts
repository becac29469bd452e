import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { MemberView } from '@loyalty-edge/management-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import { MembersService } from './members.service.js';
import {
  AddMemberDto,
  MemberDto,
  MemberParams,
  SetMemberRoleDto,
  WorkspaceParams,
} from './workspace.dto.js';

@ApiTags('members')
@Controller('api/workspaces/:ws/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Role('viewer')
  @ApiOkResponse({ type: [MemberDto] })
  list(@Param() params: WorkspaceParams): Promise<MemberView[]> {
    return this.members.list(params.ws);
  }

  @Post()
  @Role('admin')
  @ApiOperation({ summary: 'Add an admin by email, creating the account when it is new' })
  @ApiCreatedResponse({ type: MemberDto })
  add(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: AddMemberDto,
  ): Promise<MemberView> {
    return this.members.add(caller, params.ws, body);
  }

  @Put(':adminId')
  @Role('admin')
  @ApiOperation({ summary: "Change a member's role" })
  @ApiOkResponse({ type: MemberDto })
  setRole(
    @CurrentCaller() caller: Caller,
    @Param() params: MemberParams,
    @Body() body: SetMemberRoleDto,
  ): Promise<MemberView> {
    return this.members.setRole(caller, params.ws, params.adminId, body.role);
  }

  @Delete(':adminId')
  @Role('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@CurrentCaller() caller: Caller, @Param() params: MemberParams): Promise<void> {
    await this.members.remove(caller, params.ws, params.adminId);
  }
}
