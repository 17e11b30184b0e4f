import { depletionStore } from './config';
import { httpRoute } from './policies';
import { pageQuerySchema, siteParamsSchema } from './schemas';

// What depletion could not take from stock: ingredients without a stock item, menu items without a recipe, units
// that do not convert. The manager fixes the item or the recipe; the next orders deplete.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/depletion-issues', params: siteParamsSchema, query: pageQuerySchema },
  async ({ params, query }) => ({ body: await depletionStore.issues(params.siteId, query.limit, query.cursor) }),
);
