import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiDefaultResponse, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../openapi/error-envelope.dto.js';

/**
 * Who may call a route. `operator`, `admin` and `viewer` are workspace roles and need a `:ws`
 * route parameter (operators pass on every workspace); `authenticated` is any signed-in admin
 * or access token; `public` needs nothing. A route without a role is refused.
 */
export const ROUTE_ROLES = ['operator', 'admin', 'viewer', 'authenticated', 'public'] as const;
export type RouteRole = (typeof ROUTE_ROLES)[number];

export const ROLE_KEY = 'management:role';
/** The OpenAPI extension naming each operation's role. */
export const ROLE_EXTENSION = 'x-required-role';

export function Role(role: RouteRole): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLE_KEY, role),
    ApiExtension(ROLE_EXTENSION, role),
    ApiDefaultResponse({ type: ErrorEnvelopeDto, description: 'Error envelope' }),
    ...(role === 'public' ? [] : [ApiSecurity('session'), ApiSecurity('token')]),
  );
}
