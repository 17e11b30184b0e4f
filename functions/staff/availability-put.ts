import { putAvailability } from './availability';
import { putAvailabilitySchema } from './availability-schemas';
import { httpRoute } from './policies';
import { staffParamsSchema } from './schemas';

// Sets the person's weekly availability (the whole week at once), by version.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/staff/{userId}/availability', params: staffParamsSchema, body: putAvailabilitySchema, bodyLimit: 8 * 1024 },
  async ({ caller, params, body }) => ({ body: await putAvailability(caller, params.siteId, params.userId, body) }),
);
