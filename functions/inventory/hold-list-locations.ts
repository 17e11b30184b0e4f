import { listLocations } from './holds';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// The site's storage locations, their linked units and open hold.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/inventory/locations', params: siteParamsSchema }, async ({ params }) => ({
  body: await listLocations(params.siteId),
}));
