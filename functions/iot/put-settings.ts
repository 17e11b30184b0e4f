import { saveSiteSettings } from './food-safety';
import { siteParamsSchema, siteSettingsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/food-safety/settings', params: siteParamsSchema, body: siteSettingsSchema, bodyLimit: 1024 },
  async ({ params, body, caller }) => ({ body: await saveSiteSettings(params.siteId, body, caller) }),
);
