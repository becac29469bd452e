import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AddedMember, MemberView } from '@loyalty-edge/management-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import {
  ETAG_HEADER,
  IfMatch,
  RequiresRevision,
  sendETag,
} from '../revisions/revision.decorators.js';
import { MembersService, type Revised } from './members.service.js';
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
  @ApiOperation({
    summary: 'Active members and pending invitations (status active | invited)',
    description: 'The ETag is the revision of the whole list: every change of it sends it back.',
  })
  @ApiOkResponse({ type: [MemberDto], headers: ETAG_HEADER })
  async list(
    @Param() params: WorkspaceParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<readonly MemberView[]> {
    const { members, revision } = await this.members.list(params.ws);
    sendETag(reply, revision);
    return members;
  }

  @Post()
  @Role('admin')
  @Header('cache-control', 'no-store')
  @RequiresRevision('the members')
  @ApiOperation({
    summary: 'Invite someone by email: a pending member and a one-time link, shown once',
    description:
      'The answer has the same shape whether the email has an account or not. The invitee opens the link to set their password (new account) or to accept after logging in (existing account). Only operators may send `password`, and only for an email without an account.',
  })
  @ApiCreatedResponse({ type: AddedMemberDto, headers: ETAG_HEADER })
  async add(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: AddMemberDto,
    @IfMatch('the members') expected: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AddedMember> {
    return answer(reply, await this.members.add(caller, params.ws, body, expected));
  }

  @Put(':memberId')
  @Role('admin')
  @RequiresRevision('the members')
  @ApiOperation({ summary: "Change a member's (or a pending invitation's) role" })
  @ApiOkResponse({ type: MemberDto, headers: ETAG_HEADER })
  async setRole(
    @CurrentCaller() caller: Caller,
    @Param() params: MemberParams,
    @Body() body: SetMemberRoleDto,
    @IfMatch('the members') expected: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MemberView> {
    const change = { role: body.role, expected };
    return answer(reply, await this.members.setRole(caller, params.ws, params.memberId, change));
  }

  @Delete(':memberId')
  @Role('admin')
  @HttpCode(204)
  @RequiresRevision('the members')
  @ApiOperation({
    summary: 'Remove a member, or revoke a pending invitation (its link stops working)',
  })
  @ApiNoContentResponse({ description: 'Removed', headers: ETAG_HEADER })
  async remove(
    @CurrentCaller() caller: Caller,
    @Param() params: MemberParams,
    @IfMatch('the members') expected: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    answer(reply, await this.members.remove(caller, params.ws, params.memberId, expected));
  }
}

/** The value, with the members revision as the answer's ETag. */
function answer<T>(reply: FastifyReply, revised: Revised<T>): T {
  sendETag(reply, revised.revision);
  return revised.value;
}
