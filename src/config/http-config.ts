import type { ConfigReader } from './config-reader.js';
import type { TrustProxy } from './trust-proxy.js';

/** How long a connection may take and how many there may be (HUSH_REQUEST_TIMEOUT_MS and co). */
export interface HttpConfig {
  /** The whole request, headers and body, must arrive within this; the answer then has as long. */
  readonly requestTimeoutMs: number;
  /** The headers must arrive within this (at most the request timeout). */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections in all; past it new ones are refused (keep it under the file limit). */
  readonly maxConnections: number;
  /** Open connections from one peer address; 0 for no limit (the default behind a proxy). */
  readonly maxConnectionsPerClient: number;
  /** A bearer for /metrics other than an admin's access token, for scrapers. */
  readonly metricsToken: string | undefined;
}

/** Headers are a few hundred bytes: a client that takes longer than this is not sending them. */
const HEADERS_TIMEOUT_MS = 10_000;
/** Long enough for a generated random token, short enough to rule out a typed word. */
const MIN_METRICS_TOKEN_LENGTH = 32;

export function readHttpConfig(r: ConfigReader, trustProxy: TrustProxy): HttpConfig {
  const requestTimeoutMs = r.int('HUSH_REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000);
  const metricsToken = r.optionalString('HUSH_METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[\x21-\x7e]+$/.test(metricsToken)) {
    r.fail('HUSH_METRICS_TOKEN must be printable ASCII without spaces');
  } else if (metricsToken !== undefined && metricsToken.length < MIN_METRICS_TOKEN_LENGTH) {
    // Never echo the value: it is a credential.
    r.fail(
      `HUSH_METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`,
    );
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
    // Longer than the 60 s idle timeout of common load balancers, so they never reuse a connection
    // hush has just closed (which they would answer with a 502).
    keepAliveTimeoutMs: r.int('HUSH_KEEP_ALIVE_TIMEOUT_MS', 65_000, 1000, 600_000),
    maxConnections: r.int('HUSH_MAX_CONNECTIONS', 4096, 1, 1_000_000),
    // Far above what a browser (6) or a busy CLI opens, and a quarter of the total, so that one
    // address cannot take the server. Behind a proxy every connection comes from the proxy: a
    // per-peer cap would cap everyone, so there it is off unless set.
    maxConnectionsPerClient: r.int(
      'HUSH_MAX_CONNECTIONS_PER_CLIENT',
      trustProxy === false ? 1024 : 0,
      0,
      1_000_000,
    ),
    metricsToken,
  };
}
