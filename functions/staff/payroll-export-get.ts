import { httpRoute } from './policies';
import { payrollExport } from './payroll-export';
import { payrollParamsSchema, payrollQuerySchema } from './timesheet-schemas';

// The period's payroll, one row per person per pay code of the locked timesheets; ?format=csv for a spreadsheet.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/payroll/{periodFrom}', params: payrollParamsSchema, query: payrollQuerySchema }, async ({ params, query }) =>
  payrollExport(params.siteId, params.periodFrom, query.format),
);
