import { open, seal } from '../crypto/aead.js';
import { hkdfSha256 } from '../crypto/share-key.js';

/**
 * Webhook signing secrets at rest: the worker must read them back to sign, so they are sealed
 * (AES-256-GCM) with a key derived from the master key, bound to their endpoint's id.
 */
export interface WebhookSecrets {
  seal(endpointId: string, secret: string): Buffer;
  open(endpointId: string, sealed: Buffer): string;
}

export function webhookSecrets(masterKey: Buffer): WebhookSecrets {
  const key = hkdfSha256(masterKey, Buffer.alloc(0), 'hush/webhook-secret/v1');
  const aad = (endpointId: string) => Buffer.from(`hush/webhook-secret/v1/${endpointId}`);
  return {
    seal: (endpointId, secret) => seal(key, Buffer.from(secret, 'utf8'), aad(endpointId)),
    open: (endpointId, sealed) => open(key, sealed, aad(endpointId)).toString('utf8'),
  };
}
