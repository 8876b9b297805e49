import type { FastifyInstance } from 'fastify';
import { HushError } from '../../../errors/hush-error.js';
import { DEFAULT_BODY_LIMIT } from '../../body-budgets.js';
import { JsonMeter } from '../../json-shape.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** As the shared body watch allows (src/http/plugins/body-limit.ts). */
const MAX_DEPTH = 16;
const MERGE_PATCH = /^application\/merge-patch\+json\s*(?:;|$)/i;

/** Whether the request says its body is a JSON merge patch (RFC 7386), as Vault's PATCH needs. */
export const isMergePatch = (contentType: string | undefined) => MERGE_PATCH.test(contentType ?? '');

/**
 * Vault reads every body as JSON whatever its Content-Type, and its Go client (the `vault` CLI,
 * Vault Agent) sends none; PATCH sends `application/merge-patch+json`. Inside this surface any
 * type is parsed as JSON, as strictly as hush's own parser: valid UTF-8, prototype-safe, and its
 * structure counted against the route's budget before it is parsed (the shared watch counts only
 * bodies labelled application/json, which keep hush's parser). Sizes are the route's body limit.
 */
export function acceptVaultBodies(surface: FastifyInstance): void {
  const parseJson = surface.getDefaultJsonParser('error', 'error');
  surface.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (bytes.length === 0) {
      done(null, undefined);
      return;
    }
    const values = (request.routeOptions.config.bodyLimit ?? DEFAULT_BODY_LIMIT).values;
    if (new JsonMeter({ values, depth: MAX_DEPTH }).feed(bytes) !== 'ok') {
      done(new HushError('body_too_complex'), undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      done(new HushError('invalid_utf8'), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
