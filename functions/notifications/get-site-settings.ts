import { siteParamsSchema } from './schemas';
import { getSiteSettings } from './settings';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/notification-settings', params: siteParamsSchema }, async ({ params }) => ({
  body: await getSiteSettings(params.siteId),
}));
