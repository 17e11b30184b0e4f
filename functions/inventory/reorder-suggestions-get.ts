import { httpRoute } from './policies';
import { reorderSuggestions } from './reorder-suggestions';
import { siteParamsSchema } from './schemas';

// What to order now per item: the forecast's demand over lead and review days plus safety stock (or par), less
// on-hand and open POs, in whole packs and their cost, with the basis and why.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/inventory/reorder-suggestions', params: siteParamsSchema }, async ({ params }) => ({
  body: await reorderSuggestions(params.siteId, Date.now()),
}));
