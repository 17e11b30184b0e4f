// Low stock use cases: a site's review (assess every watched item, open and close episodes with their alerts, then
// draft purchase orders for what is low) and the list of what is low now. The scheduled job reviews every site
// inventory knows (site-store.ts) every 15 minutes: a site without stock items costs one query. So an item that
// goes low is announced at most one job period after the movement (the latency bound); receipts and sales do not
// trigger a review themselves. Stock under a food-safety hold covers nothing until it is released.
import { lostRace } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { logger } from '#shared/logger';
import { holdStore, lowStockStore, siteStore, supplierStore } from './config';
import { lowStock, stockRestored } from './events';
import { assessItem, daysOfCover, episodeAfter, isWatched, netUsage, usageSince, USAGE_WINDOW_DAYS, type EpisodeRecord, type ItemAssessment } from './low-stock-rules';
import type { SiteStock } from './low-stock-store';
import { draftForSite, type DraftOutcome } from './purchase-drafts';
import type { SupplierRecord } from './schemas';
import { deliveryView } from './suppliers';
import { MILLI } from './units';

/** Items whose ledgers are read at once: a site's review stays within a few concurrent queries. */
const LEDGER_READS_AT_ONCE = 8;

/** What a review reads of a site once, and what assessing and drafting share. */
export interface SiteContext {
  siteId: string;
  now: number;
  timeZone: string;
  stock: SiteStock;
  suppliers: Map<string, SupplierRecord>;
}

export interface ReviewOutcome extends DraftOutcome {
  opened: string[];
  closed: string[];
  /** Items low after the review. */
  low: string[];
}

/** The site's stock (held stock left out), time zone and suppliers; undefined for a site without stock items. */
export async function readSite(siteId: string, now: number): Promise<SiteContext | undefined> {
  const held = await holdStore.openHolds(siteId);
  const stock = await lowStockStore.siteStock(siteId, new Set(held.keys()));
  if (stock.items.length === 0) return undefined;
  const [timeZone, suppliers] = await Promise.all([siteStore.timeZoneOf(siteId), supplierStore.all(siteId)]);
  // An archived supplier is ordered from no more: its items have no delivery to wait for and get no draft.
  return { siteId, now, timeZone, stock, suppliers: new Map(suppliers.filter((s) => !s.archived).map((s) => [s.supplierId, s])) };
}

async function inBatches<T, R>(list: readonly T[], size: number, work: (value: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < list.length; i += size) results.push(...(await Promise.all(list.slice(i, i + size).map(work))));
  return results;
}

/** Assesses every watched item; writes the episodes that change (or stay open) with their alerts. */
async function assessSite(site: SiteContext, correlationId: string): Promise<Pick<ReviewOutcome, 'opened' | 'closed' | 'low'>> {
  const { siteId, now, stock } = site;
  const watched = stock.items.filter((item) => isWatched(item, stock.preferred.has(item.itemId)));
  const outcome = { opened: [] as string[], closed: [] as string[], low: [] as string[] };
  await inBatches(watched, LEDGER_READS_AT_ONCE, async (item) => {
    const usage = netUsage(await lowStockStore.ledgerSince(siteId, item.itemId, usageSince(now)));
    const preferred = stock.preferred.get(item.itemId);
    const assessment = assessItem({ item, onHand: stock.onHand.get(item.itemId) ?? 0, usage, supplier: preferred ? site.suppliers.get(preferred) : undefined, timeZone: site.timeZone, now });
    if (assessment.low) outcome.low.push(item.itemId);
    const current = stock.episodes.get(item.itemId);
    const next = episodeAfter(current, { siteId, itemId: item.itemId, itemName: item.name, unit: item.baseUnit }, assessment, now);
    if (!next) return;
    const events: EventEnvelope[] = [];
    if (next.transition === 'opened') events.push(lowStock(item, next.record.episode, assessment, correlationId, now));
    if (next.transition === 'closed') events.push(stockRestored(item, next.record.episode, assessment.onHand, current?.openedAt ?? now, correlationId, now));
    try {
      await lowStockStore.commitEpisode(next.record, current?.version, events);
    } catch (error) {
      // Another review (the job and a manager's "draft now") committed first on the same stock: its word stands.
      if (!lostRace(error)) throw error;
      logger.info('low-stock episode written by a concurrent review', { siteId, itemId: item.itemId });
      return;
    }
    if (next.transition === 'opened') outcome.opened.push(item.itemId);
    if (next.transition === 'closed') outcome.closed.push(item.itemId);
  });
  return outcome;
}

/** Reviews one site at `now`: episodes and alerts, then drafts for what is low. */
export async function reviewSite(siteId: string, now: number, correlationId: string): Promise<ReviewOutcome> {
  const site = await readSite(siteId, now);
  if (!site) return { opened: [], closed: [], low: [], drafted: [], openDrafts: [] };
  const assessed = await assessSite(site, correlationId);
  const drafts = await draftForSite(site, new Set(assessed.low), correlationId);
  return { ...assessed, ...drafts };
}

/** Every site inventory knows, one after the other; a site that fails is logged and the others go on. */
export async function reviewAllSites(now: number, correlationId: string) {
  const sites = await siteStore.all();
  const totals = { sites: sites.length, opened: 0, closed: 0, drafted: 0, failed: 0 };
  for (const { siteId } of sites) {
    try {
      const outcome = await reviewSite(siteId, now, correlationId);
      totals.opened += outcome.opened.length;
      totals.closed += outcome.closed.length;
      totals.drafted += outcome.drafted.length;
    } catch (error) {
      totals.failed++;
      logger.error('low-stock review failed for a site', { siteId, error: error as Error });
    }
  }
  return totals;
}

/** An open episode as the list shows it: quantities in the base unit, usage per day, days of cover, the delivery. */
function lowItemView(episode: EpisodeRecord, timeZone: string) {
  const assessment = episode.assessment as ItemAssessment;
  const { delivery } = assessment;
  const cover = daysOfCover(assessment.onHand, assessment.usage);
  return {
    itemId: episode.itemId,
    itemName: episode.itemName,
    unit: episode.unit,
    episode: episode.episode,
    lowSince: new Date(episode.openedAt ?? episode.assessedAt).toISOString(),
    assessedAt: new Date(episode.assessedAt).toISOString(),
    onHand: assessment.onHand / MILLI,
    reorderPoint: assessment.reorderPoint / MILLI,
    usagePerDay: Math.round(assessment.usage / USAGE_WINDOW_DAYS) / MILLI,
    daysOfCover: cover ?? null,
    neededUntilDelivery: assessment.neededUntilDelivery / MILLI,
    runsOutAt: assessment.runsOutAt === undefined ? null : new Date(assessment.runsOutAt).toISOString(),
    nextDelivery: delivery ? { supplierId: delivery.supplierId, supplierName: delivery.supplierName, ...deliveryView(delivery, timeZone) } : null,
  };
}

/** What is low now, as of the last review (`assessedAt`), in item order. */
export async function listLowStock(siteId: string, query: { limit: number; cursor?: string }) {
  const [page, timeZone] = await Promise.all([lowStockStore.lowNow(siteId, query.limit, query.cursor), siteStore.timeZoneOf(siteId)]);
  return { items: page.episodes.map((episode) => lowItemView(episode, timeZone)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
