import { describe, expect, it } from 'vitest';
import type { Fetch } from './api-call.js';
import { createFileApi } from './file-api.js';

const MiB = 1024 * 1024;

async function* source(total: number, piece = 300_000): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < total; at += piece) yield new Uint8Array(Math.min(piece, total - at)).fill(at % 251);
}

/** A stand-in server: answers each request from `answer`, and records what was asked. */
function stand(answer: (url: string, init: RequestInit, n: number) => Response | Promise<Response>) {
  const calls: { url: string; method: string; headers: Record<string, string>; bytes: number }[] = [];
  const fetchImpl: Fetch = async (input, init = {}) => {
    const url = String(input);
    const body = init.body as Uint8Array | string | null | undefined;
    const bytes = body == null ? 0 : typeof body === 'string' ? body.length : body.length;
    calls.push({ url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, bytes });
    return answer(url, init, calls.length);
  };
  return { calls, fetchImpl };
}

const created = () =>
  Response.json(
    { upload_id: 'up1', upload_key: 'k'.repeat(43), part_bytes: MiB, expires_at: '2030-01-01T00:00:00Z' },
    { status: 201 },
  );

describe('file api', () => {
  it('uploads in parts of part_bytes with the upload key, reporting progress', async () => {
    const { calls, fetchImpl } = stand((url) =>
      url.endsWith('/uploads') ? created() : new Response(null, { status: 204 }),
    );
    const progress: number[] = [];
    const api = createFileApi('http://hush.test/', { fetch: fetchImpl });
    const ref = await api.upload(source(2 * MiB + 5), 2 * MiB + 5, (done) => progress.push(done));
    expect(ref).toEqual({ id: 'up1', key: 'k'.repeat(43) });
    expect(calls.map((c) => `${c.method} ${c.url} ${c.bytes}`)).toEqual([
      'POST http://hush.test/api/v1/uploads 17',
      `PUT http://hush.test/api/v1/uploads/up1/parts/0 ${MiB}`,
      `PUT http://hush.test/api/v1/uploads/up1/parts/1 ${MiB}`,
      'PUT http://hush.test/api/v1/uploads/up1/parts/2 5',
    ]);
    expect(calls[1]?.headers['hush-upload-key']).toBe('k'.repeat(43));
    expect(progress).toEqual([0, MiB, 2 * MiB, 2 * MiB + 5]);
  });

  it('sends a failed part again up to 3 times, but never after a refusal', async () => {
    let failures = 3;
    const flaky = stand((url) => {
      if (url.endsWith('/uploads')) return created();
      if (failures-- > 0)
        return failures === 1 ? Promise.reject(new Error('ECONNRESET')) : new Response('', { status: 503 });
      return new Response(null, { status: 204 });
    });
    const api = createFileApi('http://hush.test', { fetch: flaky.fetchImpl, retryDelayMs: 1 });
    await api.upload(source(10), 10);
    expect(flaky.calls.filter((c) => c.method === 'PUT')).toHaveLength(4);

    const down = stand((url) => (url.endsWith('/uploads') ? created() : new Response('', { status: 502 })));
    await expect(
      createFileApi('http://hush.test', { fetch: down.fetchImpl, retryDelayMs: 1 }).upload(source(10), 10),
    ).rejects.toMatchObject({ status: 502 });
    expect(down.calls.filter((c) => c.method === 'PUT')).toHaveLength(4);

    const gone = stand((url) =>
      url.endsWith('/uploads')
        ? created()
        : Response.json({ error: 'not_found', message: 'no such upload' }, { status: 404 }),
    );
    await expect(
      createFileApi('http://hush.test', { fetch: gone.fetchImpl, retryDelayMs: 1 }).upload(source(10), 10),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(gone.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
  });

  it('refuses a stream that does not match the bytes it announced', async () => {
    const { fetchImpl } = stand((url) =>
      url.endsWith('/uploads') ? created() : new Response(null, { status: 204 }),
    );
    const api = createFileApi('http://hush.test', { fetch: fetchImpl });
    await expect(api.upload(source(11), 10)).rejects.toThrow(/grew/);
    await expect(api.upload(source(9), 10)).rejects.toThrow(/shrank/);
  });

  it('downloads as a stream with progress, and refuses a short or mislabelled one', async () => {
    const body = new Uint8Array(3 * 100_000).fill(7);
    const ok = stand(() => new Response(body, { headers: { 'content-length': String(body.length) } }));
    const progress: number[] = [];
    const stream = await createFileApi('http://hush.test', { fetch: ok.fetchImpl }).download(
      'dk',
      body.length,
      (d) => progress.push(d),
    );
    let total = 0;
    for await (const piece of stream) total += piece.length;
    expect(total).toBe(body.length);
    expect(progress.at(-1)).toBe(body.length);
    expect(ok.calls[0]).toMatchObject({ method: 'POST', url: 'http://hush.test/api/v1/downloads/dk' });

    const wrong = stand(() => new Response(body, { headers: { 'content-length': String(body.length) } }));
    await expect(
      createFileApi('http://hush.test', { fetch: wrong.fetchImpl }).download('dk', 5),
    ).rejects.toThrow(/did not answer like a hush server/);
    const short = stand(() => new Response(body.subarray(0, 10)));
    const cut = await createFileApi('http://hush.test', { fetch: short.fetchImpl }).download('dk', 20);
    await expect(
      (async () => {
        for await (const _ of cut) {
          /* read */
        }
      })(),
    ).rejects.toThrow(/broke off/);
    const spent = stand(() =>
      Response.json({ error: 'not_found', message: 'no such download' }, { status: 404 }),
    );
    await expect(
      createFileApi('http://hush.test', { fetch: spent.fetchImpl }).download('dk', 20),
    ).rejects.toMatchObject({ status: 404 });
  });
});
