import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** swagger-ui-dist, found through @nestjs/swagger (whose dependency it is). */
function assetsDir(): string {
  const fromHere = createRequire(import.meta.url);
  const fromSwagger = createRequire(fromHere.resolve('@nestjs/swagger'));
  return dirname(fromSwagger.resolve('swagger-ui-dist/package.json'));
}

const ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;

function page(base: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <link rel="stylesheet" href="${base}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${base}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}/swagger-ui-bundle.js"></script>
  <script src="${base}/swagger-ui-init.js"></script>
</body>
</html>
`;
}

/**
 * Swagger UI for the document at `jsonPath`, served at `base` from swagger-ui-dist's files:
 * a page, its initialiser and three static assets, with no static-file plugin.
 */
export function serveSwaggerUi(
  fastify: FastifyInstance,
  base: string,
  jsonPath: string,
  title: string,
): void {
  const dir = assetsDir();
  const cache = new Map<string, Buffer>();
  const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(jsonPath)}, dom_id: '#swagger-ui', persistAuthorization: false });\n`;
  fastify.get(base, (_request, reply) => {
    void reply.type('text/html; charset=utf-8').send(page(base, title));
  });
  fastify.get(`${base}/swagger-ui-init.js`, (_request, reply) => {
    void reply.type('application/javascript; charset=utf-8').send(init);
  });
  for (const [name, type] of Object.entries(ASSETS)) {
    fastify.get(`${base}/${name}`, async (_request, reply) => {
      let body = cache.get(name);
      if (body === undefined) {
        body = await readFile(join(dir, name));
        cache.set(name, body);
      }
      return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
    });
  }
}
