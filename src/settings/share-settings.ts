import type { Config } from '../config/config.js';

/** The limits shares obey. Read per request, so runtime settings can replace the static source. */
export interface ShareSettings {
  readonly ttlDefaultSeconds: number;
  readonly ttlMinSeconds: number;
  readonly ttlMaxSeconds: number;
  readonly maxBytes: number;
  readonly maxViews: number;
  readonly passphraseMaxAttempts: number;
  readonly retentionSeconds: number;
}

export interface ShareSettingsSource {
  current(): ShareSettings;
}

/** Settings fixed by HUSH_* variables for the life of the process. */
export function staticShareSettings(config: Config): ShareSettingsSource {
  const settings: ShareSettings = { ...config.shares };
  return { current: () => settings };
}
