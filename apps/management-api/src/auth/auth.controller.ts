import { Body, Controller, Get, HttpCode, Inject, Post, Put, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  SESSION_COOKIE,
  type LoginResult,
  type MeView,
  type PasswordChanged,
} from '@loyalty-edge/management-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller, RequestInfo } from '../access/request-context.js';
import { withRetryAfter } from '../access/retry-after.js';
import { Role } from '../access/role.decorator.js';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';
import {
  ChangePasswordDto,
  LoginDto,
  LoginResultDto,
  MeDto,
  PasswordChangedDto,
} from './auth.dto.js';
import { AuthService } from './auth.service.js';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig,
  ) {}

  @Post('auth/login')
  @Role('public')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in: sets the le_session cookie and returns the CSRF token' })
  @ApiOkResponse({ type: LoginResultDto })
  login(
    @Body() body: LoginDto,
    @RequestInfo() request: { requestId: string; clientIp: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    void reply.header('cache-control', 'no-store');
    return withRetryAfter(reply, async () => {
      const { result, sessionToken } = await this.auth.login(body.email, body.password, request);
      void reply.setCookie(SESSION_COOKIE, sessionToken, {
        ...this.cookieOptions(),
        maxAge: this.config.session.maxAgeSeconds,
      });
      return result;
    });
  }

  @Post('auth/logout')
  @Role('authenticated')
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: ends the session and clears the cookie' })
  @ApiNoContentResponse({ description: 'Logged out' })
  async logout(
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(caller);
    void reply.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }

  @Get('me')
  @Role('authenticated')
  @ApiOperation({ summary: 'The caller, their workspaces with roles, and the CSRF token' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentCaller() caller: Caller): Promise<MeView> {
    return this.auth.me(caller);
  }

  @Put('me/password')
  @Role('authenticated')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Change your password: ends your other sessions and revokes all your personal access tokens',
    description:
      'A wrong current password counts as a failed login of the account and of the address (429 once over the limit).',
  })
  @ApiOkResponse({ type: PasswordChangedDto })
  changePassword(
    @CurrentCaller() caller: Caller,
    @Body() body: ChangePasswordDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PasswordChanged> {
    return withRetryAfter(reply, () =>
      this.auth.changePassword(caller, body.currentPassword, body.newPassword),
    );
  }

  private cookieOptions(): {
    httpOnly: true;
    sameSite: 'strict';
    path: string;
    secure: boolean;
  } {
    return {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: this.config.session.secureCookie,
    };
  }
}
