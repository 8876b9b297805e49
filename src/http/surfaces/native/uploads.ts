import { UPLOAD_PART_BYTES } from '../../../client/file-format.js';
import { type RouteDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  CreatedUploadResponse,
  CreateUploadBody,
  UploadKeyHeaders,
  UploadPartParams,
} from '../../schemas/file-schemas.js';

const tags = ['files'];

/**
 * Uploads of a share's files, already encrypted by the client: declare the size, send the parts,
 * then name the upload in POST /shares (docs/files.md). Parts are raw bytes
 * (application/octet-stream), each read whole into one buffer of at most part_bytes.
 */
export function uploadRoutes(app: TypedApp, { files }: RouteDeps): void {
  // In the native surface's context only; every route there but a part's still wants JSON objects.
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: UPLOAD_PART_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/uploads',
    {
      schema: {
        tags,
        summary: "Open an upload of a share's files",
        body: CreateUploadBody,
        response: { 201: CreatedUploadResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await files.createUpload(request.body.bytes);
      return reply.code(201).send({
        upload_id: created.uploadId,
        upload_key: created.uploadKey,
        part_bytes: created.partBytes,
        expires_at: created.expiresAt.toISOString(),
      });
    },
  );

  app.put(
    '/uploads/:upload_id/parts/:n',
    {
      schema: {
        tags,
        summary: 'Send one part (a retry replaces it)',
        params: UploadPartParams,
        headers: UploadKeyHeaders,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const data = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      await files.putPart(
        request.params.upload_id,
        request.headers['hush-upload-key'],
        request.params.n,
        data,
      );
      return sendEmpty(reply, 204);
    },
  );
}
