// The level an item is ordered up to, from reorder-rules.ts at its preferred supplier: shared by the reorder
// suggestions (reorder-suggestions.ts) and the automatic drafts (purchase-drafts.ts), so both say the same.
import type { LatestDemand } from './demand-forecast-store';
import type { SiteContext } from './low-stock';
import { suggestReorder, type ReorderSuggestion } from './reorder-rules';
import type { ItemRecord, OfferRecord } from './schemas';

/** What every item's suggestion shares: the site's offers (`supplier|item`), what is on order, the forecast, z. */
export interface ReorderContext {
  offers: ReadonlyMap<string, OfferRecord>;
  onOrder: ReadonlyMap<string, number>;
  demand: LatestDemand | undefined;
  z: number;
}

/** The item's suggestion at its preferred supplier (none: a week from today, unpriced). */
export function suggestionFor(site: SiteContext, item: ItemRecord, context: ReorderContext): ReorderSuggestion {
  const supplierId = site.stock.preferred.get(item.itemId);
  const supplier = supplierId ? site.suppliers.get(supplierId) : undefined;
  const offer = supplier ? context.offers.get(`${supplier.supplierId}|${item.itemId}`) : undefined;
  const forecast = context.demand?.ingredients.get(item.itemId);
  return suggestReorder({
    item,
    onHand: site.stock.onHand.get(item.itemId) ?? 0,
    onOrder: context.onOrder.get(item.itemId) ?? 0,
    ...(supplier ? { supplier: { schedule: supplier, ...(offer ? { offer } : {}) } } : {}),
    ...(forecast ? { forecast } : {}),
    z: context.z,
    now: site.now,
    timeZone: site.timeZone,
  });
}

/** The level a draft fills the item to: the forecast's target when it has a fresh one, otherwise its par. */
export const fillLevel = (suggestion: ReorderSuggestion, item: Pick<ItemRecord, 'par'>) => (suggestion.basis === 'forecast' ? suggestion.target : item.par);
