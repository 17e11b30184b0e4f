import { NotFoundError } from '#shared/errors';
import { targetStore } from './config';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// The site's productivity targets with their version (for the next PUT); 404 until a manager sets them.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/targets', params: siteParamsSchema }, async ({ params }) => {
  const targets = await targetStore.get(params.siteId);
  if (!targets) throw new NotFoundError('No productivity targets set for this site');
  return { body: targets };
});
