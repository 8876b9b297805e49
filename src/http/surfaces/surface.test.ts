import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_TABLE } from '../../errors/error-table.js';
import { HushError } from '../../errors/hush-error.js';
import type { SettingsReader } from '../../settings/setting-definitions.js';
import { type BodyLimitTable, PASSPHRASE } from '../body-budgets.js';
import { registerBodyLimits } from '../plugins/body-limit.js';
import { registerErrorHandling } from '../plugins/error-handler.js';
import { type ErrorShape, hushErrorShape, vaultErrorShape } from '../plugins/error-shapes.js';
import { validatorCompiler } from '../validators.js';
import { defineSurface } from './surface.js';

const settings = { get: () => 1024 } as unknown as SettingsReader;
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** The same two routes on any surface: one throws a domain error, one validates a body. */
function testSurface(errorShape: ErrorShape, bodyLimits: BodyLimitTable = { 'POST /things': PASSPHRASE }) {
  return defineSurface<{ readonly label: string }>({
    tag: 'test surface',
    errorShape,
    bodyLimits,
    routes(surface, deps) {
      surface.get(
        '/things/:id',
        { schema: { summary: deps.label, response: errorShape.responses } },
        async () => {
          throw new HushError('not_found');
        },
      );
      surface.post(
        '/things',
        {
          schema: {
            tags: ['things'],
            body: Type.Object({ name: Type.String() }, { additionalProperties: false }),
            response: { 201: Type.Object({ name: Type.String() }), ...errorShape.responses },
          },
        },
        async (request, reply) => reply.code(201).send({ name: request.body.name }),
      );
    },
  });
}

/** A root as hush's app builds it (validator, body limits, errors, OpenAPI) with two surfaces. */
async function app(): Promise<FastifyInstance> {
  const root = Fastify();
  apps.push(root);
  root.setValidatorCompiler(validatorCompiler);
  registerBodyLimits(root, settings);
  registerErrorHandling(root);
  await root.register(swagger, { openapi: { info: { title: 'test', version: '0' } } });
  await root.register(testSurface(vaultErrorShape), { prefix: '/v1', deps: { label: 'vault-like' } });
  await root.register(testSurface(hushErrorShape), { prefix: '/api/v9', deps: { label: 'hush-like' } });
  await root.ready();
  return root;
}

const post = (url: string, payload: string) =>
  ({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } }) as const;

describe('an API surface', () => {
  it('mounts its routes below the prefix it is registered at, and hands them its deps', async () => {
    const root = await app();
    expect((await root.inject('/v1/things/1')).statusCode).toBe(404);
    expect((await root.inject('/things/1')).json()).toMatchObject({ error: 'route_not_found' });
    const spec = root.swagger() as { paths: Record<string, { get?: { summary?: string } }> };
    expect(spec.paths['/v1/things/{id}']?.get?.summary).toBe('vault-like');
    expect(spec.paths['/api/v9/things/{id}']?.get?.summary).toBe('hush-like');
  });

  it('registered with the Vault shape answers {"errors":[…]} for a domain error and a validation error', async () => {
    const root = await app();
    const domain = await root.inject('/v1/things/1');
    expect(domain.statusCode).toBe(404);
    expect(domain.json()).toEqual({ errors: [ERROR_TABLE.not_found.message] });

    const invalid = await root.inject(post('/v1/things', '{"name":5}'));
    expect(invalid.statusCode).toBe(400);
    const body = invalid.json() as { errors: string[] };
    expect(Object.keys(body)).toEqual(['errors']);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatch(/^body\/name must be string/);
  });

  it('keeps its error shape to itself: the same routes on a hush surface answer {error, message, request_id}', async () => {
    const root = await app();
    const domain = await root.inject('/api/v9/things/1');
    expect(domain.json()).toEqual({
      error: 'not_found',
      message: ERROR_TABLE.not_found.message,
      request_id: expect.any(String),
    });
    const invalid = await root.inject(post('/api/v9/things', '{"name":5}'));
    expect(invalid.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/name/) });
  });

  it('leaves unknown paths below its prefix to the root not-found handler', async () => {
    const root = await app();
    const res = await root.inject('/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'route_not_found', request_id: expect.any(String) });
  });

  it('applies its body-limit table below its prefix, refusing in its own shape', async () => {
    const root = await app();
    const big = JSON.stringify({ name: 'x'.repeat(PASSPHRASE.bytes) });
    const vault = await root.inject(post('/v1/things', big));
    expect(vault.statusCode).toBe(413);
    expect(vault.json()).toEqual({ errors: [ERROR_TABLE.payload_too_large.message] });
    const fits = await root.inject(post('/v1/things', '{"name":"ok"}'));
    expect(fits.statusCode).toBe(201);
  });

  it('refuses to start with a body route its own table lacks, even when a sibling surface lists it', async () => {
    const root = Fastify();
    apps.push(root);
    registerBodyLimits(root, settings);
    await root.register(testSurface(hushErrorShape), { prefix: '/a', deps: { label: 'a' } });
    await expect(
      root.register(testSurface(hushErrorShape, {}), { prefix: '/b', deps: { label: 'b' } }),
    ).rejects.toThrow(
      /POST \/b\/things reads a body but has no entry in BODY_LIMITS of its surface \("POST \/things"\)/,
    );
  });

  it('gives its OpenAPI tag to the routes that name none, and leaves named tags alone', async () => {
    const root = await app();
    const spec = root.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    expect(spec.paths['/v1/things/{id}']?.get?.tags).toEqual(['test surface']);
    expect(spec.paths['/v1/things']?.post?.tags).toEqual(['things']);
  });
});
