import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AddedMember, MemberView } from '@loyalty-edge/management-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import { MembersService } from './members.service.js';
import {
  AddedMemberDto,
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
  @ApiOperation({ summary: 'Active members and pending invitations (status active | invited)' })
  @ApiOkResponse({ type: [MemberDto] })
  list(@Param() params: WorkspaceParams): Promise<MemberView[]> {
    return this.members.list(params.ws);
  }

  @Post()
  @Role('admin')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Invite someone by email: a pending member and a one-time link, shown once',
    description:
      'The answer has the same shape whether the email has an account or not. The invitee opens the link to set their password (new account) or to accept after logging in (existing account). Only operators may send `password`, and only for an email without an account.',
  })
  @ApiCreatedResponse({ type: AddedMemberDto })
  add(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: AddMemberDto,
  ): Promise<AddedMember> {
    return this.members.add(caller, params.ws, body);
  }

  @Put(':memberId')
  @Role('admin')
  @ApiOperation({ summary: "Change a member's (or a pending invitation's) role" })
  @ApiOkResponse({ type: MemberDto })
  setRole(
    @CurrentCaller() caller: Caller,
    @Param() params: MemberParams,
    @Body() body: SetMemberRoleDto,
  ): Promise<MemberView> {
    return this.members.setRole(caller, params.ws, params.memberId, body.role);
  }

  @Delete(':memberId')
  @Role('admin')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a member, or revoke a pending invitation (its link stops working)',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@CurrentCaller() caller: Caller, @Param() params: MemberParams): Promise<void> {
    await this.members.remove(caller, params.ws, params.memberId);
  }
}
