import { Injectable, RequestMethod, type Type } from '@nestjs/common';
import {
  METHOD_METADATA,
  MODULE_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService } from '@nestjs/core';
import { FRAMEWORK_CONTROLLERS } from './access.guard.js';
import { IF_MATCH_KEY } from '../revisions/revision.decorators.js';
import { ROLE_KEY, type RouteRole } from './role.decorator.js';

export interface RouteInfo {
  readonly method: string;
  /** As Nest registers it, e.g. `/api/workspaces/:ws/members/:adminId`. */
  readonly path: string;
  readonly role: RouteRole | undefined;
  /** Whether the handler reads a request body (`@Body()`). */
  readonly hasBody: boolean;
  /** Whether the route needs `If-Match` (`@RequiresRevision`): 428 without it. */
  readonly requiresRevision: boolean;
  readonly controller: string;
  readonly handler: string;
}

function joinPath(...parts: readonly string[]): string {
  return `/${parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .join('/')}`;
}

function methodNames(prototype: object): string[] {
  const names = new Set<string>();
  for (let p = prototype; p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
    for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor') names.add(name);
  }
  return [...names];
}

/** The routes of one controller class, with their declared roles, from Nest's metadata. */
export function routesOf(controller: Type): RouteInfo[] {
  const prototype = controller.prototype as Record<string, unknown>;
  const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
  return methodNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    if (typeof handler !== 'function') return [];
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (method === undefined) return [];
    const path = (Reflect.getMetadata(PATH_METADATA, handler) as string | undefined) ?? '';
    const role = (Reflect.getMetadata(ROLE_KEY, handler) ??
      Reflect.getMetadata(ROLE_KEY, controller)) as RouteRole | undefined;
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as object;
    const hasBody = Object.keys(args).some(
      (key) => key.split(':')[0] === String(RouteParamtypes.BODY),
    );
    return [
      {
        method: RequestMethod[method],
        path: joinPath(base, path),
        role,
        hasBody,
        requiresRevision: Reflect.getMetadata(IF_MATCH_KEY, handler) !== undefined,
        controller: controller.name,
        handler: name,
      },
    ];
  });
}

/** Every controller class reachable from the given modules (static `@Module` metadata). */
export function controllersOf(modules: readonly Type[]): Type[] {
  const seen = new Set<Type>();
  const controllers = new Set<Type>();
  const visit = (module: Type): void => {
    if (seen.has(module)) return;
    seen.add(module);
    const own = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []) as Type[];
    for (const controller of own) controllers.add(controller);
    const imports = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) ?? []) as unknown[];
    for (const imported of imports) if (typeof imported === 'function') visit(imported as Type);
  };
  modules.forEach(visit);
  return [...controllers];
}

/**
 * Every route of the running app's own controllers with its declared role (the shared health
 * routes are left out: they are public by design).
 */
@Injectable()
export class RouteTable {
  constructor(private readonly discovery: DiscoveryService) {}

  list(): RouteInfo[] {
    return this.discovery.getControllers().flatMap(({ metatype }) => {
      if (typeof metatype !== 'function' || FRAMEWORK_CONTROLLERS.includes(metatype)) return [];
      return routesOf(metatype as Type);
    });
  }
}
