import fastifyCookie from '@fastify/cookie';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { installRequestContext } from './access/request-context.js';
import type { ManagementConfig } from './config.js';
import { openApiDocument, serveOpenApi } from './openapi/openapi.js';

/** Cookies, request ids and client IPs, and the OpenAPI document and UI. */
export async function configureHttp(
  app: NestFastifyApplication,
  config: ManagementConfig,
  modules: readonly Type[],
): Promise<void> {
  await app.register(fastifyCookie);
  installRequestContext(app.getHttpAdapter().getInstance(), config.trustedProxies);
  serveOpenApi(app, openApiDocument(app, modules));
}
