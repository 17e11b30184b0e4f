import { getProfile } from './profiles';
import { httpRoute } from './policies';
import { staffParamsSchema } from './schemas';

// One profile with its wages: managers any at their site, staff their own (another person's is a 404).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/staff/{userId}', params: staffParamsSchema }, async ({ caller, params }) => ({
  body: await getProfile(caller, params.siteId, params.userId),
}));
