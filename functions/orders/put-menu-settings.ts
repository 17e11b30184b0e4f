import { putSettings } from './menu';
import { menuSettingsSchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/menu/settings', params: siteParamsSchema, body: menuSettingsSchema, bodyLimit: 1024 },
  async ({ params, body, correlationId }) => ({ body: await putSettings(params.siteId, body, correlationId) }),
);
