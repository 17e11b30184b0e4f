import { httpRoute } from './policies';
import { punchEditQuerySchema } from './punch-edit-rules';
import { listPunchEdits } from './punch-edits';
import { staffParamsSchema } from './schemas';

// The person's punch edits, oldest first, optionally ?status=pending|approved|declined.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/staff/{userId}/punch-edits', params: staffParamsSchema, query: punchEditQuerySchema },
  async ({ caller, params, query }) => ({ body: { edits: await listPunchEdits(caller, params.siteId, params.userId, query.status) } }),
);
