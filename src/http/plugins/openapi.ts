import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** The one address of the OpenAPI document; the docs UI reads it from here too. */
export const OPENAPI_PATH = '/api/openapi.json';

/** OpenAPI 3 from the route schemas, served at /api/openapi.json with a docs UI at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'hush',
        version,
        description:
          'Self-hosted secrets service: one-time secret sharing and a secret store. ' +
          'Errors are {error, message, request_id}.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An access token from /api/v1/token/create',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    theme: { title: 'hush API' },
    // The base layout has no address bar: the UI shows one document, from OPENAPI_PATH.
    uiConfig: { docExpansion: 'list', layout: 'BaseLayout' },
    uiHooks: {
      // The UI asks for its own copy at ./json (and offers ./yaml): both lead to the one document.
      onRequest: (request, reply, done) => {
        const route = request.routeOptions.url;
        if (route === '/api/docs/json' || route === '/api/docs/yaml') {
          void reply.redirect(OPENAPI_PATH, 308);
          return;
        }
        done();
      },
    },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true }, config: { rateLimit: false } }, async () => app.swagger());
}
