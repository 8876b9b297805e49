import { setUpGithubLogin } from '../auth/github/github-setup.js';
import { revokeGithubSessionsOnNarrowing } from '../auth/github/role-mapping-change.js';
import { createMachineService } from '../auth/machine-service.js';
import { createTokenService } from '../auth/token-service.js';
import { kvContext } from '../secrets/kv-context.js';
import { createKvService } from '../secrets/kv-service.js';
import { createSecretService } from '../secrets/secret-service.js';
import { createSettingsService } from '../settings/settings-service.js';
import { shareSettingsFrom } from '../settings/share-settings.js';
import { createRequestService } from '../shares/request-service.js';
import { createShareFiles } from '../shares/share-files.js';
import { createShareService } from '../shares/share-service.js';
import { webhookSecrets } from '../webhooks/webhook-secret.js';
import { createWebhookService } from '../webhooks/webhook-service.js';
import type { Core, LiveServices } from './core-types.js';
import type { Disposer } from './disposer.js';

/**
 * The services that read runtime settings: loads the settings and starts following other nodes'
 * changes (the storage's notifier, with a version poll as the fallback), which only a serving process needs.
 */
export async function openLiveServices(core: Core, disposer: Disposer): Promise<LiveServices> {
  const { config, logger, storage, audit, users } = core;
  const settings = createSettingsService({
    store: storage.settings,
    audit,
    config,
    logger,
    notifier: storage.notifier,
    effects: {
      'github.role_mapping': revokeGithubSessionsOnNarrowing({ sessions: storage.tokens, audit }),
    },
  });
  disposer.defer('settings', () => settings.close());
  await settings.start();
  const tokens = createTokenService({ store: storage.tokens, users, audit, settings });
  const secrets = kvContext({
    store: storage.secrets,
    keyring: core.keyring,
    policies: core.policyChecker,
    audit,
    settings,
    logger,
  });
  return {
    settings,
    shares: createShareService({
      store: storage.shares,
      audit,
      settings: shareSettingsFrom(settings),
      masterKey: core.masterKey,
      hasher: core.hasher,
    }),
    requests: createRequestService({
      store: storage.requests,
      audit,
      settings: shareSettingsFrom(settings),
      masterKey: core.masterKey,
    }),
    files: createShareFiles({
      store: storage.files,
      masterKey: core.masterKey,
      maxFileBytes: () => settings.get('shares.max_file_bytes'),
      requireSignIn: () => settings.get('shares.require_sign_in'),
    }),
    tokens,
    github: setUpGithubLogin(config.github, {
      states: storage.oauthStates,
      users,
      tokens,
      audit,
      settings,
      logger,
    }),
    secrets: createSecretService(secrets),
    kv: createKvService(secrets),
    machines: createMachineService({ store: storage.machines, tokens, audit, settings }),
    webhooks: createWebhookService({
      store: storage.webhooks,
      audit,
      secrets: webhookSecrets(core.masterKey),
      allowPrivate: config.webhooks.allowPrivate,
    }),
  };
}
