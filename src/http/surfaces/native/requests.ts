import { actorOf } from '../../../domain/principal.js';
import { clientInfo } from '../../client-info.js';
import { optionalBearer } from '../../plugins/auth.js';
import { defaultEmptyBody, type RouteDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  AnswerBody,
  CreatedRequestResponse,
  CreateRequestBody,
  RequestKeyParams,
  RequestPromptResponse,
  RequestStatusResponse,
  RespondKeyParams,
  RevealedAnswerResponse,
} from '../../schemas/request-schemas.js';

const tags = ['requests'];

/** Secret requests (docs/requests.md): the requester's routes by request key, the responder's by respond key. */
export function requestRoutes(app: TypedApp, { requests, tokens }: RouteDeps): void {
  app.post(
    '/requests',
    {
      // Anonymous or signed in, as for shares: a token, when given, must be valid and carry
      // shares:write (401, 403 otherwise), and makes the owner.
      onRequest: optionalBearer(tokens, { scope: 'shares:write' }),
      schema: {
        tags,
        summary: 'Ask someone for a secret: a link to send and a link to keep',
        body: CreateRequestBody,
        response: { 201: CreatedRequestResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const created = await requests.create(
        {
          note: request.body.note ?? undefined,
          ttlSeconds: request.body.ttl_seconds ?? undefined,
          owner: principal && { kind: principal.kind, id: principal.id },
        },
        clientInfo(request),
        principal && actorOf(principal),
      );
      return reply.code(201).send({
        request_id: created.requestId,
        request_key: created.requestKey,
        respond_key: created.respondKey,
        expires_at: created.expiresAt.toISOString(),
      });
    },
  );

  app.get(
    '/requests/respond/:respond_key',
    {
      schema: {
        tags,
        summary: 'The note of an open request (consumes nothing)',
        params: RespondKeyParams,
        response: { 200: RequestPromptResponse, ...errorResponses },
      },
    },
    async (request) => {
      const prompt = await requests.prompt(request.params.respond_key);
      return { note: prompt.note, expires_at: prompt.expiresAt.toISOString() };
    },
  );

  app.post(
    '/requests/respond/:respond_key',
    {
      schema: {
        tags,
        summary: 'Answer a request, once: the first answer wins',
        params: RespondKeyParams,
        body: AnswerBody,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await requests.answer(request.params.respond_key, request.body.answer, clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );

  app.get(
    '/requests/:request_key',
    {
      schema: {
        tags,
        summary: 'The state of a request (never its answer)',
        params: RequestKeyParams,
        response: { 200: RequestStatusResponse, ...errorResponses },
      },
    },
    async (request) => {
      const status = await requests.status(request.params.request_key);
      return {
        request_id: status.requestId,
        state: status.state,
        note: status.note,
        created_at: status.createdAt.toISOString(),
        expires_at: status.expiresAt.toISOString(),
        answered_at: status.answeredAt?.toISOString() ?? null,
      };
    },
  );

  app.post(
    '/requests/:request_key/reveal',
    {
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Reveal the answer, exactly once (the claim erases it)',
        params: RequestKeyParams,
        response: { 200: RevealedAnswerResponse, ...errorResponses },
      },
    },
    async (request) => ({ answer: await requests.reveal(request.params.request_key, clientInfo(request)) }),
  );

  app.delete(
    '/requests/:request_key',
    {
      schema: {
        tags,
        summary: 'Burn a request, open or answered',
        params: RequestKeyParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await requests.burn(request.params.request_key, clientInfo(request));
      return sendEmpty(reply, 204);
    },
  );
}
