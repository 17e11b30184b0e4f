import { httpRoute } from '#shared/http';
import { getSite } from './sites';
import { siteParamsSchema } from './schemas';

export const handler = httpRoute({ route: 'GET /sites/{siteId}', params: siteParamsSchema }, async ({ params }) => ({
  body: await getSite(params.siteId),
}));
