import { httpRoute } from './policies';
import { timesheetParamsSchema } from './timesheet-schemas';
import { approveTimesheet } from './timesheets';

// Approves and locks the period for the person (409 while edits wait, while they are clocked in, or when locked).
export const handler = httpRoute({ route: 'POST /sites/{siteId}/timesheets/{periodFrom}/{userId}/approve', params: timesheetParamsSchema }, async ({ caller, params }) => ({
  status: 201,
  body: await approveTimesheet(caller, params.siteId, params.periodFrom, params.userId),
}));
