import { getAvailability } from './availability';
import { httpRoute } from './policies';
import { staffParamsSchema } from './schemas';

// The person's weekly availability (version 0 and no days: never set, available at any time).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/staff/{userId}/availability', params: staffParamsSchema }, async ({ caller, params }) => ({
  body: await getAvailability(caller, params.siteId, params.userId),
}));
