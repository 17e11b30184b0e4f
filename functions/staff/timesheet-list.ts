import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';
import { periodQuerySchema } from './timesheet-schemas';
import { listTimesheets } from './timesheets';

// The pay period starting on ?period=YYYY-MM-DD (absent: the current one): every profile's totals and status for managers, one's own for staff.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/timesheets', params: siteParamsSchema, query: periodQuerySchema }, async ({ caller, params, query }) => ({
  body: await listTimesheets(caller, params.siteId, query.period),
}));
