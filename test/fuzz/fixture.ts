import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type HushFixture, json, makeHush } from '../helpers/hush-fixture.js';
import type { KeyChoice } from './arbitraries.js';
import { type BodyRoute, encodeSegment, LIMITS, PASSPHRASE } from './support.js';

/** One hush per fuzz file: started before its tests, closed after them, with its limits checked. */

type Inject = HushFixture['hush']['app']['inject'];

export interface FuzzHush {
  readonly f: HushFixture;
  readonly inject: Inject;
  /** The listening port, when started with `listen: true`. */
  readonly port: number;
}

export function useFuzzHush(options: { listen?: boolean } = {}): FuzzHush {
  const ctx = {} as { f: HushFixture; inject: Inject; port: number };
  beforeAll(async () => {
    ctx.f = await makeHush({ HUSH_RATE_LIMIT_MAX: '0' });
    ctx.inject = ctx.f.hush.app.inject.bind(ctx.f.hush.app);
    const s = ctx.f.config.shares;
    expect({
      ttlMin: s.ttlMinSeconds,
      ttlMax: s.ttlMaxSeconds,
      maxViews: s.maxViews,
      maxBytes: s.maxBytes,
    }).toEqual({
      ttlMin: LIMITS.ttlMin,
      ttlMax: LIMITS.ttlMax,
      maxViews: LIMITS.maxViews,
      maxBytes: LIMITS.maxBytes,
    });
    if (options.listen) {
      await ctx.f.hush.app.listen({ port: 0, host: '127.0.0.1' });
      ctx.port = (ctx.f.hush.app.server.address() as AddressInfo).port;
    }
  });
  afterAll(async () => {
    await ctx.f?.close();
  });
  return ctx;
}

/**
 * The last test of every fuzz file: the app still answers health and readiness, logged nothing at
 * error level or above, and did handle the run (at least `minRequests` "request completed" lines).
 */
export function itStaysHealthy(hush: FuzzHush, minRequests: number): void {
  it('is still healthy afterwards and logged no failure', async () => {
    const health = await hush.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const ready = await hush.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    const failures = hush.f.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(failures).toEqual([]);
    // The run did go through the app: every request is logged once.
    expect(hush.f.logs.filter((line) => line.includes('"request completed"')).length).toBeGreaterThan(
      minRequests,
    );
  });
}

/** A fresh share through the API: a key that is valid right now. */
export async function freshShare(
  inject: Inject,
  passphrase?: string,
): Promise<{ secret_key: string; receipt_key: string }> {
  const res = await inject({
    method: 'POST',
    url: '/api/v1/shares',
    payload: { secret: 'fuzz target', max_views: 2, ...(passphrase && { passphrase }) },
  });
  expect(res.statusCode).toBe(201);
  return json(res);
}

/** Resolves a key choice into URL text, plus the real keys that must not be echoed. */
export async function resolveKey(
  inject: Inject,
  choice: KeyChoice,
  route: BodyRoute,
): Promise<{ text: string; avoid: string[] }> {
  if (choice.kind === 'literal') {
    return { text: choice.encode ? encodeSegment(choice.text) : choice.text, avoid: [] };
  }
  const share = await freshShare(inject, choice.kind === 'fresh-passphrase' ? PASSPHRASE : undefined);
  const avoid = [share.secret_key, share.receipt_key];
  return { text: route.key === 'receipt' ? share.receipt_key : share.secret_key, avoid };
}
