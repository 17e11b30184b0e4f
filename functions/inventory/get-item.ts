import { getItem } from './items';
import { httpRoute } from './policies';
import { itemParamsSchema } from './schemas';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/inventory/items/{itemId}', params: itemParamsSchema }, async ({ params }) => ({
  body: await getItem(params.siteId, params.itemId),
}));
