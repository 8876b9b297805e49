import type { SettingsReader } from './setting-definitions.js';

/** The limits shares obey. Read per request, so a changed setting applies to the next one. */
export interface ShareSettings {
  readonly ttlDefaultSeconds: number;
  readonly ttlMinSeconds: number;
  readonly ttlMaxSeconds: number;
  readonly maxBytes: number;
  readonly maxViews: number;
  readonly passphraseMaxAttempts: number;
  readonly retentionSeconds: number;
  /** New shares need a signed-in creator (`shares.require_sign_in`). */
  readonly requireSignIn: boolean;
}

export interface ShareSettingsSource {
  current(): ShareSettings;
}

/** The share limits as the runtime settings hold them now. */
export function shareSettingsFrom(settings: SettingsReader): ShareSettingsSource {
  return {
    current: () => ({
      ttlDefaultSeconds: settings.get('shares.ttl_default_seconds'),
      ttlMinSeconds: settings.get('shares.ttl_min_seconds'),
      ttlMaxSeconds: settings.get('shares.ttl_max_seconds'),
      maxBytes: settings.get('shares.max_bytes'),
      maxViews: settings.get('shares.max_views'),
      passphraseMaxAttempts: settings.get('shares.passphrase_max_attempts'),
      retentionSeconds: settings.get('shares.retention_seconds'),
      requireSignIn: settings.get('shares.require_sign_in'),
    }),
  };
}
