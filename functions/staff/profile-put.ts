import { putProfile } from './profiles';
import { httpRoute } from './policies';
import { putProfileSchema, staffParamsSchema } from './schemas';

// Creates a staff profile (201; no expectedVersion) or edits one (200; expectedVersion of the version read).
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/staff/{userId}', params: staffParamsSchema, body: putProfileSchema, bodyLimit: 32 * 1024 },
  async ({ caller, params, body, correlationId }) => {
    const { profile, created } = await putProfile(caller, params.siteId, params.userId, body, correlationId);
    return { status: created ? 201 : 200, body: profile };
  },
);
