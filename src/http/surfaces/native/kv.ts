import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { addJsonParser } from '../../plugins/json-parser.js';
import type { SurfaceDeps, TypedApp } from '../../route-types.js';
import { kvDataRoutes } from './kv-data.js';
import { kvMetadataRoutes } from './kv-metadata.js';
import { kvVersionRoutes } from './kv-versions.js';

/**
 * KV version 2 by secret name under `/kv/…` (docs/secrets.md). In a plugin of their own, so that
 * only these routes also read application/merge-patch+json, the type a KV PATCH is sent as.
 */
export function kvRoutes(app: TypedApp, deps: SurfaceDeps): void {
  void app.register((scope, _options, done) => {
    addJsonParser(scope, 'application/merge-patch+json');
    const kv = scope.withTypeProvider<TypeBoxTypeProvider>();
    kvDataRoutes(kv, deps);
    kvVersionRoutes(kv, deps);
    kvMetadataRoutes(kv, deps);
    done();
  });
}
