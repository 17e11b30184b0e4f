import { httpRoute } from './policies';
import { punchEditQuerySchema } from './punch-edit-rules';
import { listPunchEdits } from './punch-edits';
import { staffParamsSchema } from './schemas';

// The person's punch edits, oldest first, optionally ?status=pending|approved|declined; in pages (`nextCursor`)
// once they pass one answer (#shared/pages).
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/staff/{userId}/punch-edits', params: staffParamsSchema, query: punchEditQuerySchema },
  async ({ caller, params, query }) => ({ body: await listPunchEdits(caller, params.siteId, params.userId, query) }),
);
