import { httpRoute } from './policies';
import { offerParamsSchema, putOfferSchema } from './schemas';
import { putOffer } from './suppliers';

// What the supplier sells the item in and at what price: 201 for a new offer, 200 for a change.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/inventory/suppliers/{supplierId}/items/{itemId}', params: offerParamsSchema, body: putOfferSchema, bodyLimit: 2 * 1024 },
  async ({ caller, params, body }) => {
    const { created, offer } = await putOffer(params.siteId, params.supplierId, params.itemId, body, caller.userId);
    return { status: created ? 201 : 200, body: offer };
  },
);
