import type { INestApplication, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CSRF_HEADER, SESSION_COOKIE } from '@loyalty-edge/management-contracts';
import { serveSwaggerUi } from './swagger-ui.js';

export const DOCS_PATH = 'api/docs';
export const DOCS_JSON_PATH = 'api/docs-json';

/** The OpenAPI 3 document, built from the controllers and DTOs of the given modules. */
export function openApiDocument(app: INestApplication, modules: readonly Type[]): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Loyalty Edge management API')
    .setDescription(
      [
        'The admin REST API behind the admin web app and automation.',
        `Browsers log in (POST /api/auth/login) and send the ${SESSION_COOKIE} cookie; every`,
        `POST, PUT, PATCH or DELETE made with it carries the session's CSRF token in ${CSRF_HEADER}.`,
        'Automation sends a personal access token (POST /api/tokens) as `Authorization: Bearer lep_...`,',
        'without CSRF. Each operation names its role in `x-required-role`. Errors are',
        '`{"error":{"type","code","message","details?"}}`; validation errors list every bad field.',
        'Modules, IP lists, signature enforcement and members answer their revision as `ETag`; every',
        'change of them sends it back as `If-Match` (428 without it, 412 with a stale one, `details`',
        'then holding `revision` and the `current` state). Modules switch one per request.',
      ].join(' '),
    )
    .setVersion('1')
    .addCookieAuth(
      SESSION_COOKIE,
      { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      'session',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'lep_... access token' }, 'token')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: CSRF_HEADER,
        description: 'Required with the session cookie on POST, PUT, PATCH and DELETE',
      },
      'csrf',
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    include: [...modules],
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

/**
 * The JSON document at /api/docs-json and Swagger UI at /api/docs. The UI is served by hand:
 * Nest's own needs @fastify/static, whose ESM-only dependency does not load under jest.
 */
export function serveOpenApi(app: NestFastifyApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    ui: false,
  });
  serveSwaggerUi(
    app.getHttpAdapter().getInstance(),
    `/${DOCS_PATH}`,
    `/${DOCS_JSON_PATH}`,
    'Loyalty Edge management API',
  );
}
