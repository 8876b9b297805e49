import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import { KvNameParams, KvVersionsBody } from '../../schemas/kv-schemas.js';

const tags = ['kv'];
const security = [{ bearer: [] }];

/** KV v2 version changes by secret name: soft-delete, undelete, destroy; each answers 204. */
export function kvVersionRoutes(app: TypedApp, { auth, kv }: SurfaceDeps): void {
  const writes = auth({ scope: 'secrets:write' });
  const changes = [
    ['delete', 'Soft-delete versions (needs delete; undelete brings them back)', 'deleteVersions'],
    ['undelete', 'Undelete soft-deleted versions (needs update)', 'undeleteVersions'],
    ['destroy', 'Destroy versions: their content is erased for good (needs delete)', 'destroyVersions'],
  ] as const;
  for (const [path, summary, change] of changes) {
    app.post(
      `/kv/${path}/*`,
      {
        onRequest: writes,
        schema: {
          tags,
          summary,
          security,
          params: KvNameParams,
          body: KvVersionsBody,
          response: { ...errorResponses },
        },
      },
      async (request, reply) => {
        const ref = { name: request.params['*'] };
        await kv[change](principalOf(request), ref, request.body.versions, clientInfo(request));
        return sendEmpty(reply, 204);
      },
    );
  }
}
