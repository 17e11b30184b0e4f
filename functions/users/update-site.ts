import { updateSite } from './sites';
import { siteParamsSchema, updateSiteSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PATCH /sites/{siteId}', params: siteParamsSchema, body: updateSiteSchema, bodyLimit: 2048 },
  async ({ params, body, correlationId }) => ({ body: await updateSite(params.siteId, body, correlationId) }),
);
