import type { PolicyView } from '../../../secrets/policy-service.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  CreatePolicyBody,
  PoliciesQuery,
  PoliciesResponse,
  PolicyIdParams,
  PolicyResponse,
} from '../../schemas/policy-schemas.js';

const tags = ['policies'];
const security = [{ bearer: [] }];

function toPolicyResponse(policy: PolicyView) {
  return {
    id: policy.id,
    subject_type: policy.subject.type,
    subject: policy.subjectName,
    path: policy.path,
    capabilities: [...policy.capabilities],
    created_at: policy.createdAt.toISOString(),
  };
}

export function policyRoutes(app: TypedApp, { auth, policies }: SurfaceDeps): void {
  const onRequest = auth({ scope: 'admin' });

  app.post(
    '/sys/policies',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Attach capabilities on a path glob to a role or a user (admin)',
        security,
        body: CreatePolicyBody,
        response: { 201: PolicyResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { subject_type, subject, path, capabilities } = request.body;
      const created = await policies.create(
        { subjectType: subject_type, subject, path, capabilities },
        { actor: principalOf(request), client: clientInfo(request) },
      );
      return reply.code(201).send(toPolicyResponse(created));
    },
  );

  app.get(
    '/sys/policies',
    {
      onRequest,
      schema: {
        tags,
        summary: 'List policies, oldest first, optionally for one subject (admin)',
        security,
        querystring: PoliciesQuery,
        response: { 200: PoliciesResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { subject_type, subject } = request.query;
      const listed = await policies.list({ subjectType: subject_type, subject });
      return { policies: listed.map(toPolicyResponse) };
    },
  );

  // POST …/delete for clients that cannot send DELETE; both answer 204, unknown ids 404.
  for (const [method, url] of [
    ['POST', '/sys/policies/:policy_id/delete'],
    ['DELETE', '/sys/policies/:policy_id'],
  ] as const) {
    app.route({
      method,
      url,
      onRequest,
      schema: {
        tags,
        summary: 'Delete a policy (admin)',
        security,
        params: PolicyIdParams,
        response: { ...errorResponses },
      },
      handler: async (request, reply) => {
        await policies.delete(request.params.policy_id, {
          actor: principalOf(request),
          client: clientInfo(request),
        });
        return sendEmpty(reply, 204);
      },
    });
  }
}
