import { getMenu } from './menu';
import { siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/menu', params: siteParamsSchema }, async ({ params }) => ({
  body: await getMenu(params.siteId),
}));
