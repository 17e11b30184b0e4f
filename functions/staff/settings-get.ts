import { settingsStore } from './config';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// The site's staff settings, or the defaults at version 0: everyone at the site reads them (they hold no wage of
// anyone, and staff see the rounding and early clock-in rules they are held to).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/staff/settings', params: siteParamsSchema }, async ({ params }) => ({
  body: await settingsStore.get(params.siteId),
}));
