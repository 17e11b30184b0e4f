import { stockStore } from './config';
import { loadItem } from './items';
import { httpRoute } from './policies';
import { itemParamsSchema, pageQuerySchema } from './schemas';

// The item's ledger, newest first; an item of another site (or none) is a 404, not an empty page.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/items/{itemId}/movements', params: itemParamsSchema, query: pageQuerySchema },
  async ({ params, query }) => {
    await loadItem(params.siteId, params.itemId);
    return { body: await stockStore.movements(params.siteId, params.itemId, query.limit, query.cursor) };
  },
);
