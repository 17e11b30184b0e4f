import { httpRoute } from './policies';
import { reopenBodySchema, timesheetParamsSchema } from './timesheet-schemas';
import { reopenTimesheet } from './timesheets';

// Owners only: opens a locked period again, with the reason and what had been locked kept on the timesheet.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/timesheets/{periodFrom}/{userId}/reopen', params: timesheetParamsSchema, body: reopenBodySchema, bodyLimit: 2048 },
  async ({ caller, params, body }) => ({ body: await reopenTimesheet(caller, params.siteId, params.periodFrom, params.userId, body.reason) }),
);
