import { settingsStore } from './config';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';
import { putSettingsSchema, type StaffSettingsRecord } from './settings';

// Sets the site's staff settings: the first time without expectedVersion (201), then with the version read (200);
// a stale version, or a first write where settings exist, is a 409 (settings-store.ts).
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/staff/settings', params: siteParamsSchema, body: putSettingsSchema, bodyLimit: 32 * 1024 },
  async ({ caller, params, body }) => {
    const { expectedVersion, ...settings } = body;
    const record: StaffSettingsRecord = { siteId: params.siteId, ...settings, version: (expectedVersion ?? 0) + 1, updatedAt: new Date().toISOString(), updatedBy: caller.userId };
    await settingsStore.put(record);
    return { status: expectedVersion === undefined ? 201 : 200, body: record };
  },
);
