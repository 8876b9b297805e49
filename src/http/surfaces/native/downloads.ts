import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { RouteDeps, TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import { DownloadParams } from '../../schemas/file-schemas.js';

/** The stored bytes, streamed (Fastify sends a stream as is; the schema is for the OpenAPI document). */
const FileBytes = Type.Unsafe<Readable>({
  type: 'string',
  format: 'binary',
  description: 'The stored bytes.',
});

/**
 * The download of a share's files by the grant a reveal gave: once, streamed part by part (the
 * server never holds the whole file), the stored bytes exactly as uploaded (docs/files.md).
 */
export function downloadRoutes(app: TypedApp, { files }: RouteDeps): void {
  app.post(
    '/downloads/:download_key',
    {
      schema: {
        tags: ['files'],
        summary: "Download a share's files once (application/octet-stream)",
        params: DownloadParams,
        response: { 200: FileBytes, ...errorResponses },
      },
    },
    async (request, reply) => {
      const download = await files.download(request.params.download_key);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', String(download.bytes))
        .header('cache-control', 'no-store')
        .send(download.stream);
    },
  );
}
