import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AcceptedInvitation, InvitationView } from '@loyalty-edge/management-contracts';
import { CallerAuthenticator } from '../access/caller-authenticator.js';
import { RequestInfo } from '../access/request-context.js';
import { withRetryAfter } from '../access/retry-after.js';
import { Role } from '../access/role.decorator.js';
import {
  AcceptedInvitationDto,
  AcceptInvitationDto,
  InvitationDto,
  InvitationParams,
} from './invitation.dto.js';
import { InvitationsService } from './invitations.service.js';

/** The invitation link's routes: public, the token is the credential. */
@ApiTags('invitations')
@Controller('api/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly authenticator: CallerAuthenticator,
  ) {}

  @Get(':token')
  @Role('public')
  @ApiOperation({
    summary: 'What an invitation link is for: workspace, role, email, whether a password is needed',
    description:
      'Unknown, used, revoked and expired tokens all answer 404 (code 300412). Failed lookups count against the address like failed logins (429, code 300416).',
  })
  @ApiOkResponse({ type: InvitationDto })
  lookup(
    @Param() params: InvitationParams,
    @RequestInfo() request: { requestId: string; clientIp: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvitationView> {
    return withRetryAfter(reply, () => this.invitations.lookup(params.token, request.clientIp));
  }

  @Post(':token/accept')
  @Role('public')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Accept an invitation: `{password}` creates a new account; an existing one must be signed in',
    description:
      'The token works once. For an existing account, the caller must be signed in as it with a session (and send the CSRF token); a password is never set for an existing account.',
  })
  @ApiOkResponse({ type: AcceptedInvitationDto })
  async accept(
    @Param() params: InvitationParams,
    @Body() body: AcceptInvitationDto,
    @RequestInfo() request: { requestId: string; clientIp: string },
    @Req() raw: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedInvitation> {
    const invitee = await this.authenticator.signedIn(raw);
    return withRetryAfter(reply, () =>
      this.invitations.accept(params.token, body.password, { ...request, invitee }),
    );
  }
}
