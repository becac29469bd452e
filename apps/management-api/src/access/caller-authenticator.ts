import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@loyalty-edge/errors';
import { ManagementErrorCodes, SESSION_COOKIE } from '@loyalty-edge/management-contracts';
import { SessionsService } from '../accounts/sessions.service.js';
import { AccessTokensService } from '../access-tokens/access-tokens.service.js';
import { checkCsrf } from './csrf.js';
import type { Principal } from './principal.js';

const BEARER = /^Bearer +(\S+)$/i;

function unauthenticated(message: string): AppError {
  return new AppError('unauthenticated', ManagementErrorCodes.authenticationRequired, message);
}

/** Finds the caller: `Authorization: Bearer lep_...` first, else the session cookie. */
@Injectable()
export class CallerAuthenticator {
  constructor(
    private readonly sessions: SessionsService,
    private readonly tokens: AccessTokensService,
  ) {}

  /**
   * For public routes that act differently for a signed-in caller: the caller when the request
   * carries a valid session or token, else undefined. A change made with the session cookie
   * still needs its CSRF token (403 without it, never a silent anonymous call).
   */
  async signedIn(
    request: Pick<FastifyRequest, 'headers' | 'cookies' | 'method'>,
  ): Promise<Principal | undefined> {
    const cookie = request.cookies[SESSION_COOKIE];
    if (request.headers.authorization === undefined && (cookie === undefined || cookie === '')) {
      return undefined;
    }
    let principal: Principal;
    try {
      principal = await this.authenticate(request);
    } catch (error) {
      if (error instanceof AppError && error.kind === 'unauthenticated') return undefined;
      throw error;
    }
    checkCsrf(request, principal);
    return principal;
  }

  async authenticate(request: Pick<FastifyRequest, 'headers' | 'cookies'>): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const token = BEARER.exec(authorization)?.[1];
      if (token === undefined) throw unauthenticated('Only Bearer access tokens are accepted');
      const principal = await this.tokens.authenticate(token);
      if (!principal) throw unauthenticated('The access token is invalid, expired or revoked');
      return principal;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie !== undefined && cookie !== '') {
      const principal = await this.sessions.authenticate(cookie);
      if (principal) return principal;
      throw unauthenticated('The session has ended; please log in again');
    }
    throw unauthenticated('Authentication required');
  }
}
