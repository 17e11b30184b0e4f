import { httpRoute } from './policies';
import { supplierParamsSchema, updateSupplierSchema } from './schemas';
import { updateSupplier } from './suppliers';

// Contact, schedule, minimum order value; `expectedVersion` makes it conditional on the version the manager saw.
export const handler = httpRoute(
  { route: 'PATCH /sites/{siteId}/inventory/suppliers/{supplierId}', params: supplierParamsSchema, body: updateSupplierSchema, bodyLimit: 4 * 1024 },
  async ({ params, body }) => ({ body: await updateSupplier(params.siteId, params.supplierId, body) }),
);
