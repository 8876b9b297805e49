import { actorOf } from '../../../domain/principal.js';
import type { SettingView } from '../../../settings/settings-service.js';
import { clientInfo } from '../../client-info.js';
import { principalOf } from '../../plugins/auth.js';
import type { SurfaceDeps, TypedApp } from '../../route-types.js';
import { errorResponses } from '../../schemas/common-schemas.js';
import {
  SetSettingBody,
  SettingKeyParams,
  SettingResponse,
  SettingsResponse,
} from '../../schemas/setting-schemas.js';

const tags = ['settings'];
const security = [{ bearer: [] }];

function toSettingResponse(setting: SettingView) {
  return {
    key: setting.key,
    value: setting.value,
    default: setting.defaultValue,
    description: setting.description,
    updated_at: setting.updatedAt?.toISOString() ?? null,
    updated_by: setting.updatedBy ?? null,
  };
}

/** Runtime system settings (admin): a change applies on every node within about a second. */
export function settingRoutes(app: TypedApp, { auth, settings }: SurfaceDeps): void {
  const onRequest = auth({ scope: 'admin' });

  app.get(
    '/sys/settings',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Every runtime setting with its value and default (admin)',
        security,
        response: { 200: SettingsResponse, ...errorResponses },
      },
    },
    async () => ({ settings: (await settings.list()).map(toSettingResponse) }),
  );

  app.get(
    '/sys/setting/:setting_key',
    {
      onRequest,
      schema: {
        tags,
        summary: 'One runtime setting (admin)',
        security,
        params: SettingKeyParams,
        response: { 200: SettingResponse, ...errorResponses },
      },
    },
    async (request) => toSettingResponse(await settings.getOne(request.params.setting_key)),
  );

  app.post(
    '/sys/setting',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Change a runtime setting (admin); the value is checked against its type and rules',
        security,
        body: SetSettingBody,
        response: { 200: SettingResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { key, value } = request.body;
      const changed = await settings.set(key, value, actorOf(principalOf(request)), clientInfo(request));
      return toSettingResponse(changed);
    },
  );

  app.post(
    '/sys/setting/:setting_key/reset',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Put a runtime setting back to its default (admin)',
        security,
        params: SettingKeyParams,
        response: { 200: SettingResponse, ...errorResponses },
      },
    },
    async (request) =>
      toSettingResponse(
        await settings.reset(request.params.setting_key, actorOf(principalOf(request)), clientInfo(request)),
      ),
  );
}
