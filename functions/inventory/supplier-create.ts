import { httpRoute } from './policies';
import { siteParamsSchema, supplierSchema } from './schemas';
import { createSupplier } from './suppliers';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/inventory/suppliers', params: siteParamsSchema, body: supplierSchema, bodyLimit: 4 * 1024 },
  async ({ params, body }) => {
    const supplier = await createSupplier(params.siteId, body);
    return { status: 201, body: supplier, headers: { location: `/sites/${supplier.siteId}/inventory/suppliers/${supplier.supplierId}` } };
  },
);
