import { getSite } from './sites';
import { siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}', params: siteParamsSchema }, async ({ params }) => ({
  body: await getSite(params.siteId),
}));
