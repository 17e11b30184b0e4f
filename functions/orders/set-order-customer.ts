import { publicOrder } from './order-queries';
import { setOrderCustomer } from './orders';
import { orderParamsSchema, setCustomerSchema } from './schemas';
import { httpRoute } from './policies';

// Names the order's customer after it was placed (a loyalty card shown at the till); kept as a keyed hash only.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/orders/{orderId}/customer', params: orderParamsSchema, body: setCustomerSchema, bodyLimit: 1024 },
  async ({ caller, params, body, correlationId }) => ({
    body: publicOrder(await setOrderCustomer({ siteId: params.siteId, caller, correlationId }, params.orderId, body)),
  }),
);
