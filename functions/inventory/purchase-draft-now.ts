import { reviewSite } from './low-stock';
import { publicPurchaseOrder } from './purchase-order-lifecycle';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// A manager's "draft now": the site's review the job would run (episodes and their alerts included), answering
// the drafts it made and the suppliers whose draft is still open.
export const handler = httpRoute({ route: 'POST /sites/{siteId}/inventory/purchase-orders/drafts', params: siteParamsSchema }, async ({ params, correlationId }) => {
  const { drafted, openDrafts, low } = await reviewSite(params.siteId, Date.now(), correlationId);
  return { body: { drafts: drafted.map(publicPurchaseOrder), openDrafts, low } };
});
