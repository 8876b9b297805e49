import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import type { HttpConfig } from '../config/http-config.js';
import type { TlsMaterial } from '../config/tls.js';

/**
 * The Node server under Fastify (its `serverFactory`), plain or TLS, with every connection bounded
 * in time and number: a client that sends part of a request and goes silent, keeps idle
 * connections open, or opens hundreds of them cannot hold the server's sockets.
 */
export function createHttpServer(
  settings: HttpConfig,
  tls: TlsMaterial | null,
  handler: http.RequestListener,
): http.Server {
  const options = {
    requestTimeout: settings.requestTimeoutMs,
    headersTimeout: settings.headersTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    // Node checks the two timeouts above on this interval (30 s by default, which would let a
    // silent client keep its socket for up to twice the request timeout).
    connectionsCheckingInterval: Math.min(1000, settings.headersTimeoutMs),
    // Node's own refusal of a Host-less HTTP/1.1 request is a bare 400; the require-host hook
    // refuses it in hush's error shape instead.
    requireHostHeader: false,
  };
  // An https.Server is an http.Server to everything Fastify and hush use of it. The TLS handshake
  // comes before any of the timeouts above apply: it gets as long as the headers (Node's is 120 s).
  const server = tls
    ? (https.createServer(
        { ...tls, ...options, handshakeTimeout: settings.headersTimeoutMs },
        handler,
      ) as unknown as http.Server)
    : http.createServer(options, handler);
  // A backstop for sockets the checks above do not cover (one that stops reading its answer):
  // silent for twice the request timeout, it is dropped. Shorter, it would cut off the 408s.
  server.setTimeout(settings.requestTimeoutMs * 2);
  capConnections(server, settings);
  return server;
}

/**
 * Caps open connections: `maxConnections` in all (Node refuses the rest), and per peer address,
 * so one client opening hundreds of idle or slow connections cannot take every file descriptor.
 * A refused connection is closed at once, before any byte of it is read.
 */
function capConnections(server: http.Server, settings: HttpConfig): void {
  server.maxConnections = settings.maxConnections;
  const perClient = settings.maxConnectionsPerClient;
  if (perClient === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const peer = peerOf(socket.remoteAddress ?? '');
    const count = open.get(peer) ?? 0;
    if (count >= perClient) {
      socket.destroy();
      return;
    }
    open.set(peer, count + 1);
    socket.once('close', () => {
      const left = (open.get(peer) ?? 1) - 1;
      if (left === 0) open.delete(peer);
      else open.set(peer, left);
    });
  });
}

/**
 * Whom a connection counts against: an IPv4 address, or an IPv6 /64 (one host is usually given a
 * whole /64, so counting single IPv6 addresses would let it open connections without end).
 */
export function peerOf(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}
