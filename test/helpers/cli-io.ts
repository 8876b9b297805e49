import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/client-command.js';
import { type HushFixture, makeHush } from './hush-fixture.js';

export interface MemoryIo extends CliIo {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

export interface MemoryIoOptions {
  /** stdin's content, or a stream of your own (a slow or failing one); empty otherwise. */
  readonly input?: string | Buffer | Readable;
  readonly env?: NodeJS.ProcessEnv;
  readonly stdinTTY?: boolean;
  readonly stdoutTTY?: boolean;
  readonly stderrTTY?: boolean;
}

const sink = (isTTY: boolean) => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream: Object.assign(stream, { isTTY }), text: () => text };
};

/** Stand-ins for a client command's streams: in-memory, each a terminal or not, as asked. */
export function memoryIo(options: MemoryIoOptions = {}): MemoryIo {
  const input = options.input ?? '';
  const stdin = input instanceof Readable ? input : Readable.from([Buffer.from(input)]);
  const stdout = sink(options.stdoutTTY ?? false);
  const stderr = sink(options.stderrTTY ?? false);
  return {
    env: options.env ?? {},
    stdin: Object.assign(stdin, { isTTY: options.stdinTTY ?? false }),
    stdout: stdout.stream,
    stderr: stderr.stream,
    out: stdout.text,
    err: stderr.text,
  };
}

export interface ListeningHush {
  readonly fixture: HushFixture;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  close(): Promise<void>;
}

/** A real hush (makeHush) listening on a free loopback port, for commands that speak HTTP. */
export async function listeningHush(env: Record<string, string> = {}): Promise<ListeningHush> {
  const fixture = await makeHush(env);
  await fixture.hush.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = fixture.hush.app.server.address() as AddressInfo;
  return { fixture, url: `http://127.0.0.1:${port}`, close: () => fixture.close() };
}

export type StubHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A loopback HTTP server that is not hush: answers whatever `handler` says (a proxy's 503, junk). */
export async function stubServer(handler: StubHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.once('end', () => handler(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON answer from a stub server. */
export function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
