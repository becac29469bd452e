import { Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@loyalty-edge/errors';
import type { WorkspaceRole } from '@loyalty-edge/management-contracts';
import type { Memberships } from '../workspaces/memberships.js';
import { AccessGuard } from './access.guard.js';
import type { CallerAuthenticator } from './caller-authenticator.js';
import type { Principal } from './principal.js';
import { installRequestContext } from './request-context.js';
import { Role } from './role.decorator.js';

class Routes {
  @Role('public') open(): void {}
  @Role('authenticated') signedIn(): void {}
  @Role('operator') operatorOnly(): void {}
  @Role('admin') change(): void {}
  @Role('viewer') read(): void {}
  undeclared(): void {}
}

const admin: Principal = {
  adminId: 'a1',
  email: 'a@example.com',
  operator: false,
  via: 'session',
  sessionId: 's1',
  csrfToken: 'csrf-1',
};

interface Setup {
  principal?: Principal;
  roleOn?: WorkspaceRole;
}

function guard({ principal = admin, roleOn }: Setup = {}): AccessGuard {
  const authenticator = {
    authenticate: () =>
      principal.adminId === 'none'
        ? Promise.reject(new AppError('unauthenticated', 1, 'Authentication required'))
        : Promise.resolve(principal),
  } as unknown as CallerAuthenticator;
  const memberships = { roleOn: () => Promise.resolve(roleOn) } as unknown as Memberships;
  return new AccessGuard(new Reflector(), authenticator, memberships);
}

/** A request that went through the request-context hook, as the real app's do. */
function request(method: string, params: Record<string, string>, headers = {}): object {
  const req = { method, params, headers, raw: { socket: { remoteAddress: '127.0.0.1' } } };
  let hook: ((r: object, reply: object, done: () => void) => void) | undefined;
  installRequestContext({ addHook: (_: string, h: typeof hook) => (hook = h) } as never, []);
  hook?.(req, { headers: () => undefined }, () => undefined);
  return req;
}

function context(handler: keyof Routes, req: object): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => Routes,
    getHandler: () => Routes.prototype[handler],
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

async function outcome(g: AccessGuard, handler: keyof Routes, req: object): Promise<string> {
  try {
    return String(await g.canActivate(context(handler, req)));
  } catch (error) {
    return error instanceof AppError ? `${error.kind}:${error.code}` : 'unexpected';
  }
}

describe(AccessGuard.name, () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  const csrf = { 'x-csrf-token': 'csrf-1' };

  it('refuses a route that declares no role, at request time', async () => {
    expect(await outcome(guard(), 'undeclared', request('GET', {}))).toBe('internal:300500');
  });

  it('refuses a workspace route whose role is not a workspace role', async () => {
    expect(await outcome(guard(), 'signedIn', request('GET', { ws: 'acme' }))).toBe(
      'internal:300500',
    );
    expect(await outcome(guard(), 'read', request('GET', {}))).toBe('internal:300500');
  });

  it('lets anyone call a public route', async () => {
    expect(await outcome(guard(), 'open', request('POST', {}))).toBe('true');
  });

  it('needs the CSRF token for a change made with the session cookie', async () => {
    expect(await outcome(guard(), 'signedIn', request('POST', {}))).toBe('forbidden:300403');
    expect(await outcome(guard(), 'signedIn', request('POST', {}, csrf))).toBe('true');
    expect(await outcome(guard(), 'signedIn', request('GET', {}))).toBe('true');
  });

  it('needs no CSRF token with an access token', async () => {
    const principal: Principal = { ...admin, via: 'token', tokenId: 't1' };
    delete (principal as { csrfToken?: string }).csrfToken;
    expect(await outcome(guard({ principal }), 'signedIn', request('DELETE', {}))).toBe('true');
  });

  it('answers "not found" for a workspace the caller is no member of', async () => {
    expect(await outcome(guard(), 'read', request('GET', { ws: 'other' }))).toBe(
      'not_found:300404',
    );
  });

  it.each<[keyof Routes, WorkspaceRole, string]>([
    ['read', 'viewer', 'true'],
    ['change', 'viewer', 'forbidden:300405'],
    ['change', 'admin', 'true'],
    ['operatorOnly', 'admin', 'forbidden:300405'],
    ['operatorOnly', 'operator', 'true'],
  ])('on a workspace route, %s as %s → %s', async (handler, roleOn, expected) => {
    expect(await outcome(guard({ roleOn }), handler, request('POST', { ws: 'acme' }, csrf))).toBe(
      expected,
    );
  });

  it('checks the operator flag on operator routes outside a workspace', async () => {
    const req = (): object => request('POST', {}, csrf);
    expect(await outcome(guard(), 'operatorOnly', req())).toBe('forbidden:300405');
    const operator = { ...admin, operator: true };
    expect(await outcome(guard({ principal: operator }), 'operatorOnly', req())).toBe('true');
  });
});
