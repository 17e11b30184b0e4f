import { httpRoute } from './policies';
import { onHandValueAnswer } from './reports';
import { reportFormatQuerySchema } from './report-schemas';
import { siteParamsSchema } from './schemas';

// What the site's stock is worth now, per item, per category and in total; ?format=csv for a spreadsheet.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/reports/on-hand-value', params: siteParamsSchema, query: reportFormatQuerySchema },
  ({ params, query }) => onHandValueAnswer(params.siteId, query.format),
);
