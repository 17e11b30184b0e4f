import { httpRoute } from './policies';
import { supplierParamsSchema } from './schemas';
import { getSupplier } from './suppliers';

// The supplier, what it sells, and the next delivery an order sent now would get (UTC and the site's wall clock).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/inventory/suppliers/{supplierId}', params: supplierParamsSchema }, async ({ params }) => ({
  body: await getSupplier(params.siteId, params.supplierId),
}));
