import { stockStore } from './config';
import { httpRoute } from './policies';
import { onHandQuerySchema, siteParamsSchema } from './schemas';
import { MILLI } from './units';

// On-hand per (item, location) over the site, or of one item with ?itemId=, page by page; quantities in the
// item's base unit.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/on-hand', params: siteParamsSchema, query: onHandQuerySchema },
  async ({ params, query }) => {
    const page = await stockStore.onHandPage(params.siteId, query.itemId, query.limit, query.cursor);
    const onHand = page.rows.map((row) => ({ itemId: row.itemId, location: row.location, quantity: row.quantity / MILLI, updatedAt: row.updatedAt }));
    return { body: { onHand, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
  },
);
