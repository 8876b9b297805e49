import type { Static } from 'typebox';
import { ApiError } from '../client/api-call.js';
import type {
  CreateWebhookBody,
  DeliveriesResponse,
  NewWebhookResponse,
  WebhooksResponse,
} from '../http/schemas/webhook-schemas.js';
import { CliError, EXIT } from './cli-errors.js';
import { type SignedIn, scopeFailure, sessionFailure } from './saved-login.js';

/** The webhook routes' bodies: their schemas' types (src/http/schemas/webhook-schemas.ts). */
export type NewWebhook = Static<typeof NewWebhookResponse>;
export type Webhooks = Static<typeof WebhooksResponse>;
export type Deliveries = Static<typeof DeliveriesResponse>;

/** The webhook routes, with their refusals worded for the command line. */
export function webhookApi(api: SignedIn) {
  const at = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;
  const call = async <T extends object>(method: string, path: string, body?: unknown): Promise<T> => {
    try {
      return await api.call<T>(method, path, body);
    } catch (error) {
      throw webhookFailure(error, api);
    }
  };
  return {
    add: (body: Static<typeof CreateWebhookBody>) => call<NewWebhook>('POST', '/api/v1/webhooks', body),
    list: (all: boolean) => call<Webhooks>('GET', `/api/v1/webhooks${all ? '?all=true' : ''}`),
    deliveries: (id: string) => call<Deliveries>('GET', `${at(id)}/deliveries`),
    remove: (id: string) => call('DELETE', at(id)),
  };
}

function webhookFailure(error: unknown, signedIn: SignedIn): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 401) return sessionFailure(error, signedIn);
  if (error.status === 404) return new CliError(EXIT.refused, 'no such webhook endpoint (of yours)');
  if (['invalid_webhook', 'webhook_target_refused', 'webhook_limit', 'bad_request'].includes(error.code)) {
    return new CliError(EXIT.refused, `refused: ${error.message.replace(/\.$/, '')} (${error.code})`);
  }
  return scopeFailure(error, 'admin');
}
