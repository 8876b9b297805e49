import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTarget } from './webhook-target.js';

/** How long one attempt may take, connection to answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Of the answer's body, at most this much is read (and thrown away): only the status counts. */
const MAX_ANSWER_BYTES = 4096;

/** What an attempt came to: the answer's status, or a short reason it got none. */
export type SendResult = { readonly statusCode: number } | { readonly error: string };

/** A lookup that answers every name with the checked address, so the socket goes nowhere else. */
function pinnedLookup(target: WebhookTarget): LookupFunction {
  return (_host, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else callback(null, target.address, target.family);
  };
}

/**
 * POSTs `body` to the target with `headers`: connects to the checked address only (TLS still
 * verifies the certificate against the URL's host name), follows no redirect (a 3xx is an answer
 * like any other), gives up after WEBHOOK_TIMEOUT_MS, reads at most a few KB of the answer.
 */
export function sendWebhook(
  target: WebhookTarget,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<SendResult> {
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = client.request(
      target.url,
      {
        method: 'POST',
        agent: false,
        lookup: pinnedLookup(target),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'hush-webhooks',
        },
      },
      (response) => {
        let read = 0;
        const statusCode = response.statusCode ?? 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= MAX_ANSWER_BYTES) finish({ statusCode });
        });
        response.on('end', () => finish({ statusCode }));
        response.on('error', () => finish({ statusCode }));
      },
    );
    const timer = setTimeout(() => finish({ error: 'timed out' }), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ error: describe(error) }));
    request.end(body);
  });
}

/** A short, secret-free reason: the error's code (ECONNREFUSED, CERT_HAS_EXPIRED…), never a body. */
function describe(error: NodeJS.ErrnoException): string {
  return (error.code ?? error.name ?? 'request failed').slice(0, 64);
}
