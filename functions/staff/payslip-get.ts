import { httpRoute } from './policies';
import { payslipOf } from './payslip';
import { timesheetParamsSchema } from './timesheet-schemas';

// One person's payslip of a locked period: lines with explanations, totals, findings.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/payroll/{periodFrom}/{userId}/payslip', params: timesheetParamsSchema }, async ({ caller, params }) => ({
  body: await payslipOf(caller, params.siteId, params.periodFrom, params.userId),
}));
