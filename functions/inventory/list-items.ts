import { listItems } from './items';
import { httpRoute } from './policies';
import { pageQuerySchema, siteParamsSchema } from './schemas';

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/items', params: siteParamsSchema, query: pageQuerySchema },
  async ({ params, query }) => ({ body: await listItems(params.siteId, query) }),
);
