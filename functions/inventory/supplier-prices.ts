import { httpRoute } from './policies';
import { offerParamsSchema, pageQuerySchema } from './schemas';
import { listPrices } from './suppliers';

// The item's price history at this supplier, newest first, by cursor.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/suppliers/{supplierId}/items/{itemId}/prices', params: offerParamsSchema, query: pageQuerySchema },
  async ({ params, query }) => ({ body: await listPrices(params.siteId, params.supplierId, params.itemId, query) }),
);
