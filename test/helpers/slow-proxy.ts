import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy to `target` (http://host:port) that holds each chunk from the client for `delayMs`
 * before passing it on: uploads through it take a known least time, for what only shows on a
 * transfer that lasts (a progress line). Answers pass back at once.
 */
export async function startSlowProxy(
  target: string,
  delayMs: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port) });
    sockets.add(client).add(upstream);
    client.pause();
    let chain = Promise.resolve();
    client.on('data', (chunk) => {
      chain = chain.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              upstream.write(chunk);
              resolve();
            }, delayMs),
          ),
      );
    });
    client.on('end', () => void chain.then(() => upstream.end()));
    upstream.pipe(client);
    upstream.on('connect', () => client.resume());
    for (const socket of [client, upstream]) {
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  const proxyPort = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
