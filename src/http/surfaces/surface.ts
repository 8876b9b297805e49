import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { BodyLimitTable } from '../body-budgets.js';
import { useBodyLimits } from '../plugins/body-limit.js';
import { errorHandler } from '../plugins/error-handler.js';
import type { ErrorShape } from '../plugins/error-shapes.js';
import type { TypedApp } from '../route-types.js';

/** What makes an API surface: everything below is its own, kept inside it by Fastify's encapsulation. */
export interface SurfaceSpec<Deps> {
  /** The OpenAPI tag of its routes that name none of their own. */
  readonly tag: string;
  /** How its errors are written; statuses come from the one error table. */
  readonly errorShape: ErrorShape;
  /** One entry for every route that reads a body, keyed below the prefix (`POST /shares`). */
  readonly bodyLimits: BodyLimitTable;
  /**
   * Adds its routes, with paths below the prefix it is registered at. Authentication is the
   * surface's own too: it hands its routes an Authenticator for the credential it speaks.
   */
  readonly routes: (surface: TypedApp, deps: Deps) => void;
}

export interface SurfaceOptions<Deps> {
  readonly deps: Deps;
}

/**
 * An encapsulated Fastify plugin, mounted with `app.register(surface, { prefix, deps })`. Its error
 * handler, body limits and tag apply to its routes only; the shared plugins registered on the root
 * before it (security headers, rate limit, request log, body watch) apply to it as to every route.
 * Unknown paths under its prefix still reach the root's not-found handler.
 */
export function defineSurface<Deps>(spec: SurfaceSpec<Deps>): FastifyPluginAsync<SurfaceOptions<Deps>> {
  return async (surface, { deps }) => {
    surface.setErrorHandler(errorHandler(spec.errorShape));
    useBodyLimits(surface, spec.bodyLimits);
    // At registration only: @fastify/swagger keeps this same route object and reads it when asked.
    surface.addHook('onRoute', (route) => {
      if (route.schema?.tags === undefined) route.schema = { ...route.schema, tags: [spec.tag] };
    });
    spec.routes(surface.withTypeProvider<TypeBoxTypeProvider>(), deps);
  };
}
