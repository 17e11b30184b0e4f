import { siteParamsSchema, siteSettingsSchema } from './schemas';
import { putSiteSettings } from './settings';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/notification-settings', params: siteParamsSchema, body: siteSettingsSchema, bodyLimit: 2048 },
  async ({ caller, params, body }) => ({ body: await putSiteSettings(params.siteId, body, caller.userId) }),
);
