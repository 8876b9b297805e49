import { Type } from 'typebox';
import { SETTING_KEYS } from '../../settings/setting-definitions.js';
import { DateTime, Nullable } from './common-schemas.js';

/** Unknown keys are a 404 from the service, not a schema error, so the key is any short text. */
const SettingKeyText = Type.String({
  minLength: 1,
  maxLength: 128,
  description: `The setting's key: ${SETTING_KEYS.join(', ')}`,
});

export const SettingKeyParams = Type.Object({ setting_key: SettingKeyText });

export const SetSettingBody = Type.Object(
  {
    key: SettingKeyText,
    value: Type.Unknown({ description: "The new value, of the setting's type (integer, boolean, object)" }),
  },
  { additionalProperties: false },
);

export const SettingResponse = Type.Object({
  key: Type.String(),
  value: Type.Unknown({ description: 'The value in force' }),
  default: Type.Unknown({ description: 'The value after a reset: the HUSH_* variable, or built in' }),
  description: Type.String(),
  updated_at: Nullable(DateTime),
  updated_by: Nullable(Type.String({ description: 'The admin who changed it' })),
});

export const SettingsResponse = Type.Object({ settings: Type.Array(SettingResponse) });
