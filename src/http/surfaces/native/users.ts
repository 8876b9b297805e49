import type { User } from '../../../auth/user-types.js';
import { actorOf } from '../../../domain/principal.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import { type SurfaceDeps, sendEmpty, type TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  CreateUserBody,
  UsernameParams,
  UserResponse,
  UsersQuery,
  UsersResponse,
} from '../../schemas/user-schemas.js';

const tags = ['users'];
const security = [{ bearer: [] }];

export function toUserResponse(user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email ?? null,
    role: user.role,
    created_at: user.createdAt.toISOString(),
  };
}

/** Account administration: admin scope on every route. */
export function userRoutes(app: TypedApp, { users, auth }: SurfaceDeps): void {
  const admin = auth({ scope: 'admin' });

  app.post(
    '/users/create',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Create an account (admin)',
        security,
        body: CreateUserBody,
        response: { 201: UserResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { username, email, role, password } = request.body;
      const user = await users.create(
        { username, email: email ?? undefined, role, password },
        { actor: actorOf(principalOf(request)), client: clientInfo(request) },
      );
      return reply.code(201).send(toUserResponse(user));
    },
  );

  app.post(
    '/users/:username/delete',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Delete an account and end its sessions (admin)',
        security,
        params: UsernameParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      await users.delete(request.params.username, {
        actor: actorOf(principalOf(request)),
        client: clientInfo(request),
      });
      return sendEmpty(reply, 204);
    },
  );

  app.get(
    '/users',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'List accounts (admin)',
        security,
        querystring: UsersQuery,
        response: { 200: UsersResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { page, page_size } = request.query;
      const result = await users.list((page - 1) * page_size, page_size);
      return { total: result.total, page, page_size, users: result.users.map(toUserResponse) };
    },
  );

  app.get(
    '/users/:username',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'One account (admin)',
        security,
        params: UsernameParams,
        response: { 200: UserResponse, ...errorResponses },
      },
    },
    async (request) => toUserResponse(await users.get(request.params.username)),
  );
}
