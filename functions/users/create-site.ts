import { createSite } from './sites';
import { createSiteSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'POST /sites', body: createSiteSchema, bodyLimit: 2048 }, async ({ body, correlationId }) => ({
  status: 201,
  body: await createSite(body, correlationId),
}));
