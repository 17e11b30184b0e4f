// Reorder suggestions (reorder-rules.ts has the arithmetic): for each watched item of a site, the forecast's target
// (or par) less what is on hand and still to come, in whole packs of its preferred supplier's offer, with the
// basis and why.
import { demandForecastStore, purchaseDraftStore, reorderSettingsStore, siteStore, supplierStore } from './config';
import { readSite, type SiteContext } from './low-stock';
import { isWatched } from './low-stock-rules';
import { onOrderByItem } from './purchase-draft-rules';
import { suggestionFor, type ReorderContext } from './reorder-levels';
import { freshUntil, type ReorderSuggestion } from './reorder-rules';
import type { ItemRecord, OfferRecord } from './schemas';
import { deliveryView } from './suppliers';
import { MILLI } from './units';

const inBase = (milli: number) => milli / MILLI;

function suggestionView(site: SiteContext, item: ItemRecord, suggestion: ReorderSuggestion, offer: OfferRecord | undefined) {
  const supplier = site.suppliers.get(site.stock.preferred.get(item.itemId) ?? '');
  const { cycle, forecast } = suggestion;
  return {
    itemId: item.itemId,
    name: item.name,
    unit: item.baseUnit,
    basis: suggestion.basis,
    reason: suggestion.reason,
    onHand: inBase(suggestion.onHand),
    onOrder: inBase(suggestion.onOrder),
    supplier: supplier
      ? {
          supplierId: supplier.supplierId,
          name: supplier.name,
          leadTimeDays: supplier.leadTimeDays,
          ...(cycle.nextDelivery ? { nextDelivery: deliveryView(cycle.nextDelivery, site.timeZone) } : {}),
          ...(cycle.followingDelivery ? { followingDelivery: { deliveryDate: cycle.followingDelivery.deliveryDate, arrivesAt: new Date(cycle.followingDelivery.arrivesAt).toISOString() } } : {}),
        }
      : null,
    leadDays: cycle.leadDays,
    reviewDays: cycle.reviewDays,
    forecastDemand: forecast ? inBase(forecast.demand) : null,
    safetyStock: forecast ? inBase(forecast.safetyStock) : null,
    extendedDays: forecast?.extendedDays ?? 0,
    target: inBase(suggestion.target),
    shortfall: inBase(suggestion.shortfall),
    suggested: {
      quantity: inBase(suggestion.suggested),
      packs: suggestion.packs ?? null,
      packUnit: offer?.packUnit ?? null,
      packSize: offer ? inBase(offer.packSize) : null,
      cost: suggestion.cost ?? null,
    },
  };
}

/** The site's watched items (active, with a par, a reorder point, a preferred supplier or a forecast), each with its suggestion. */
export async function reorderSuggestions(siteId: string, now: number) {
  const [site, settings, currency] = await Promise.all([readSite(siteId, now), reorderSettingsStore.get(siteId), siteStore.currencyOf(siteId)]);
  const head = { siteId, generatedAt: new Date(now).toISOString(), currency: currency ?? null, serviceLevel: settings.serviceLevel, z: settings.z };
  if (!site) return { ...head, timeZone: await siteStore.timeZoneOf(siteId), forecast: null, items: [], totalCost: 0 };
  const [demand, openOrders] = await Promise.all([demandForecastStore.latest(siteId), purchaseDraftStore.openPurchaseOrders(siteId)]);
  const items = site.stock.items.filter((item) => isWatched(item, site.stock.preferred.has(item.itemId)) || (!item.archived && demand?.ingredients.has(item.itemId)));
  const pairs = items.flatMap((item) => {
    const supplierId = site.stock.preferred.get(item.itemId);
    return supplierId ? [{ supplierId, itemId: item.itemId }] : [];
  });
  const offers = await supplierStore.offersAt(siteId, pairs);
  const context: ReorderContext = { offers, onOrder: onOrderByItem(openOrders), demand, z: settings.z };
  const views = items.map((item) => {
    const suggestion = suggestionFor(site, item, context);
    return suggestionView(site, item, suggestion, offers.get(`${site.stock.preferred.get(item.itemId)}|${item.itemId}`));
  });
  return {
    ...head,
    timeZone: site.timeZone,
    forecast: demand
      ? { runId: demand.runId, createdAt: new Date(demand.createdAt).toISOString(), from: demand.from, days: demand.days, freshUntil: new Date(freshUntil(demand.createdAt)).toISOString(), fresh: now <= freshUntil(demand.createdAt) }
      : null,
    items: views,
    totalCost: views.reduce((sum, view) => sum + (view.suggested.cost ?? 0), 0),
  };
}
