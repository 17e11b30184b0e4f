// Low stock, pure: an item's usage from its ledger, whether it is low before its next possible delivery, and the
// episode record the assessment leaves. delivery-rules.ts has the arithmetic (assessStock, nextEpisode); this adds
// what the scheduled job decides around it.
//
// Usage is what orders consumed over the last USAGE_WINDOW_DAYS days: sales, less what came back (`sale-return`),
// plus what was prepared and then voided (waste `voided`: depletion books a prepared void as a return and that
// waste, so the food counts as used). Counts, receipts, transfers, adjustments and manual waste are not usage.
//
// Which items are watched: active items with a reorder point, a par, or a preferred supplier. An item that has
// none of them is not kept to a level, so it is never low. The next delivery is the preferred supplier's; an item
// without one is low only at or below its reorder point (it has nothing to last until).
import { assessStock, nextDelivery, nextEpisode, type EpisodeTransition, type LowStockEpisode, type NextDelivery } from './delivery-rules';
import type { ItemRecord, SupplierRecord } from './schemas';

/** The usage window: two weeks hold both of a kitchen's weekly cycles and forget a one-off event quickly. */
export const USAGE_WINDOW_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The fields of a ledger entry usage reads. */
export interface LedgerEntry {
  kind: string;
  reason?: string;
  changes: ReadonlyArray<{ before: number; after: number }>;
}

const isConsumption = (entry: LedgerEntry) => entry.kind === 'sale' || entry.kind === 'sale-return' || (entry.kind === 'waste' && entry.reason === 'voided');
const taken = (entry: LedgerEntry) => entry.changes.reduce((sum, c) => sum + (c.before - c.after), 0);

/** Net consumption by orders in milli-base units (never below zero: more returned than sold in the window is none). */
export function netUsage(entries: readonly LedgerEntry[]): number {
  // A return's `taken` is negative: it gives back what its sale took.
  const used = entries.filter(isConsumption).reduce((sum, entry) => sum + taken(entry), 0);
  return Math.max(used, 0);
}

export const isWatched = (item: Pick<ItemRecord, 'archived' | 'par' | 'reorderPoint'>, hasPreferredSupplier: boolean) =>
  !item.archived && (item.reorderPoint > 0 || item.par > 0 || hasPreferredSupplier);

/** Where an item stands at an assessment: what the low-stock list shows and the alert carries. */
export interface ItemAssessment {
  low: boolean;
  onHand: number;
  reorderPoint: number;
  /** Net usage over the window, milli-base units. */
  usage: number;
  neededUntilDelivery: number;
  runsOutAt?: number;
  delivery?: NextDelivery & { supplierId: string; supplierName: string };
}

export function assessItem(input: {
  item: Pick<ItemRecord, 'reorderPoint'>;
  onHand: number;
  usage: number;
  supplier: SupplierRecord | undefined;
  timeZone: string;
  now: number;
}): ItemAssessment {
  const { item, onHand, usage, supplier, timeZone, now } = input;
  const delivery = supplier ? { ...nextDelivery(now, supplier, timeZone), supplierId: supplier.supplierId, supplierName: supplier.name } : undefined;
  const stock = assessStock({ onHand, reorderPoint: item.reorderPoint, usage: { depleted: usage, windowDays: USAGE_WINDOW_DAYS }, now, arrivesAt: delivery?.arrivesAt ?? now });
  return {
    low: stock.low,
    onHand,
    reorderPoint: item.reorderPoint,
    usage,
    neededUntilDelivery: stock.neededUntilDelivery,
    ...(stock.runsOutAt === undefined ? {} : { runsOutAt: stock.runsOutAt }),
    ...(delivery ? { delivery } : {}),
  };
}

/** Days the on-hand lasts at the window's usage, one decimal; undefined without usage. */
export function daysOfCover(onHand: number, usage: number): number | undefined {
  if (usage <= 0) return undefined;
  return Math.floor((Math.max(onHand, 0) * USAGE_WINDOW_DAYS * 10) / usage) / 10;
}

/** The window's start for an assessment at `now`. */
export const usageSince = (now: number) => now - USAGE_WINDOW_DAYS * DAY_MS;

/** Whose episode it is, as the list shows it. */
export interface EpisodeOf {
  siteId: string;
  itemId: string;
  itemName: string;
  unit: string;
}

/** The stored episode: its state, and while open the assessment that keeps it open (the low-stock list reads it). */
export interface EpisodeRecord extends LowStockEpisode, EpisodeOf {
  version: number;
  assessedAt: number;
  assessment?: ItemAssessment;
}

/**
 * What an assessment writes: the next episode record and the transition to announce; nothing when the item is
 * not low and no episode is open (most items, most runs).
 */
export function episodeAfter(
  current: EpisodeRecord | undefined,
  ids: EpisodeOf,
  assessment: ItemAssessment,
  now: number,
): { record: EpisodeRecord; transition?: EpisodeTransition } | undefined {
  const { state, transition } = nextEpisode(current, assessment.low, now);
  if (!state.open && !transition) return undefined;
  const record: EpisodeRecord = {
    ...ids,
    open: state.open,
    episode: state.episode,
    ...(state.openedAt === undefined ? {} : { openedAt: state.openedAt }),
    version: (current?.version ?? 0) + 1,
    assessedAt: now,
    ...(state.open ? { assessment } : {}),
  };
  return { record, ...(transition ? { transition } : {}) };
}
