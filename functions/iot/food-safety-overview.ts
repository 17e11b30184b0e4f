import { overview } from './food-safety';
import { siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/food-safety', params: siteParamsSchema }, async ({ params }) => ({
  body: await overview(params.siteId),
}));
