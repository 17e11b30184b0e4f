// Automatic drafts for a reviewed site (purchase-draft-rules.ts has the policy): per preferred supplier of a low
// item, unless that supplier already has a draft open, a draft filling its low items to their level (the forecast's
// target when fresh, else par; reorder-levels.ts) less what is on order.
import { retryOnConflict } from '#shared/dynamodb';
import { demandForecastStore, purchaseDraftStore, reorderSettingsStore, supplierStore } from './config';
import { purchaseOrderDrafted } from './events';
import type { SiteContext } from './low-stock';
import { draftFor, draftId, draftRecord, onOrderByItem } from './purchase-draft-rules';
import { fillLevel, suggestionFor, type ReorderContext } from './reorder-levels';
import type { PurchaseOrderRecord, SupplierRecord } from './schemas';

export interface DraftOutcome {
  drafted: PurchaseOrderRecord[];
  /** Suppliers left alone because a draft of theirs is still open. */
  openDrafts: Array<{ supplierId: string; purchaseOrderId: string }>;
}

type SupplierOutcome = { drafted: PurchaseOrderRecord } | { open: string } | undefined;

async function draftForSupplier(
  site: SiteContext,
  supplier: SupplierRecord,
  itemIds: string[],
  openOrders: PurchaseOrderRecord[],
  forecast: Pick<ReorderContext, 'demand' | 'z'>,
  correlationId: string,
): Promise<SupplierOutcome> {
  const { siteId } = site;
  // A draft made by hand (POST …/purchase-orders) counts as the supplier's open draft too.
  const manual = openOrders.find((po) => po.supplierId === supplier.supplierId && po.status === 'draft');
  if (manual) return { open: manual.purchaseOrderId };
  const offers = await supplierStore.offersAt(siteId, itemIds.map((itemId) => ({ supplierId: supplier.supplierId, itemId })));
  const items = site.stock.items.filter((item) => itemIds.includes(item.itemId));
  const onOrder = onOrderByItem(openOrders);
  const context: ReorderContext = { offers, onOrder, ...forecast };
  const levels = new Map(items.map((item) => [item.itemId, fillLevel(suggestionFor(site, item, context), item)]));
  return retryOnConflict(
    async () => {
      const slot = await purchaseDraftStore.slot(siteId, supplier.supplierId);
      if (slot.openDraftId) {
        const open = await purchaseDraftStore.purchaseOrder(siteId, slot.openDraftId);
        if (open?.status === 'draft') return { open: open.purchaseOrderId };
      }
      const draft = draftFor(supplier.minimumOrderValue, [...offers.values()], items, site.stock.onHand, onOrder, levels);
      if (!draft) return undefined;
      const po = draftRecord({ siteId, supplierId: supplier.supplierId, purchaseOrderId: draftId(supplier.supplierId, slot.drafted + 1), draft, now: new Date(site.now).toISOString() });
      await purchaseDraftStore.commitDraft(po, slot, purchaseOrderDrafted(po, supplier.name, supplier.minimumOrderValue, correlationId));
      return { drafted: po };
    },
    { attempts: 3 },
  );
}

/** Drafts for the site's low items, supplier by supplier. */
export async function draftForSite(site: SiteContext, low: ReadonlySet<string>, correlationId: string): Promise<DraftOutcome> {
  const bySupplier = new Map<string, string[]>();
  for (const itemId of low) {
    const supplierId = site.stock.preferred.get(itemId);
    if (supplierId && site.suppliers.has(supplierId)) bySupplier.set(supplierId, [...(bySupplier.get(supplierId) ?? []), itemId]);
  }
  const outcome: DraftOutcome = { drafted: [], openDrafts: [] };
  if (bySupplier.size === 0) return outcome;
  const [openOrders, demand, settings] = await Promise.all([
    purchaseDraftStore.openPurchaseOrders(site.siteId),
    demandForecastStore.latest(site.siteId),
    reorderSettingsStore.get(site.siteId),
  ]);
  for (const [supplierId, itemIds] of bySupplier) {
    const result = await draftForSupplier(site, site.suppliers.get(supplierId)!, itemIds, openOrders, { demand, z: settings.z }, correlationId);
    if (result && 'drafted' in result) outcome.drafted.push(result.drafted);
    if (result && 'open' in result) outcome.openDrafts.push({ supplierId, purchaseOrderId: result.open });
  }
  return outcome;
}
