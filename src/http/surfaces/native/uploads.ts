import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { UPLOAD_PART_BYTES } from '../../../client/file-format.js';
import { optionalBearer } from '../../plugins/auth.js';
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
export function uploadRoutes(app: TypedApp, { files, tokens }: RouteDeps): void {
  app.post(
    '/uploads',
    {
      // Who may share may upload: anonymous unless the server keeps sharing to signed-in accounts.
      onRequest: optionalBearer(tokens, { scope: 'shares:write' }),
      schema: {
        tags,
        summary: "Open an upload of a share's files",
        body: CreateUploadBody,
        response: { 201: CreatedUploadResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await files.createUpload(request.body.bytes, request.principal !== undefined);
      return reply.code(201).send({
        upload_id: created.uploadId,
        upload_key: created.uploadKey,
        part_bytes: created.partBytes,
        expires_at: created.expiresAt.toISOString(),
      });
    },
  );

  // The part route in a context of its own: raw bytes are its only body type (anything else is
  // 415), and no other route of the surface takes them.
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    const parts = scope.withTypeProvider<TypeBoxTypeProvider>();
    parts.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: UPLOAD_PART_BYTES },
      (_request, body, done) => done(null, body),
    );
    parts.put(
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
        // No body (an empty last part, Content-Length 0) parses to nothing.
        const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        await files.putPart(
          request.params.upload_id,
          request.headers['hush-upload-key'],
          request.params.n,
          data,
        );
        return sendEmpty(reply, 204);
      },
    );
    done();
  });
}
