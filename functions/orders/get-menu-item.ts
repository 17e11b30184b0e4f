import { getItem } from './menu';
import { itemParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/menu/items/{itemId}', params: itemParamsSchema }, async ({ params }) => ({
  body: await getItem(params.siteId, params.itemId),
}));
