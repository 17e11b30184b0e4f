import { httpRoute } from './policies';
import { reportQuerySchema } from './report-schemas';
import { sitesReport } from './sites-report';

// Owners: every site's headline figures over a range and totals per currency; ?format=csv.
export const handler = httpRoute({ route: 'GET /analytics/sites', query: reportQuerySchema }, async ({ query }) => sitesReport(query));
