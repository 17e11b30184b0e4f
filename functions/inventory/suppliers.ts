// Supplier use cases: create, read with its offers and next delivery, list, edit on the version read; an offer
// (what the supplier sells an item in, and at what price) with its price history. Cut-offs and delivery days are
// the site's wall clock: the zone is read from the site (siteStore) when computing, never stored on the supplier,
// so a site that changes zone (or whose site event arrives late) gets the right delivery at once.
import { ConflictError, NotFoundError } from '#shared/errors';
import { wallClock } from '#shared/time';
import { itemStore, siteStore, supplierStore } from './config';
import { nextDelivery, type NextDelivery } from './delivery-rules';
import type { OfferRecord, PriceEntry, PutOfferInput, SupplierInput, SupplierRecord, updateSupplierSchema } from './schemas';
import { MILLI, toBaseQuantity } from './units';
import type * as z from 'zod';

/** The latest prices an offer keeps inline; the whole history is the price items (GET …/prices). */
const RECENT_PRICES = 10;

export async function loadSupplier(siteId: string, supplierId: string): Promise<SupplierRecord> {
  const supplier = await supplierStore.get(siteId, supplierId);
  if (!supplier) throw new NotFoundError('Supplier not found');
  return supplier;
}

export async function createSupplier(siteId: string, input: SupplierInput): Promise<SupplierRecord> {
  const now = new Date().toISOString();
  const supplier: SupplierRecord = { siteId, ...input, version: 1, createdAt: now, updatedAt: now };
  await supplierStore.create(supplier);
  return supplier;
}

/** Without `expectedVersion`, the edit applies to the version read now (last writer wins on the fields it names). */
export async function updateSupplier(siteId: string, supplierId: string, input: z.infer<typeof updateSupplierSchema>): Promise<SupplierRecord> {
  const { expectedVersion, ...edit } = input;
  const supplier = await loadSupplier(siteId, supplierId);
  return supplierStore.update(siteId, supplierId, expectedVersion ?? supplier.version, edit, new Date().toISOString());
}

export async function listSuppliers(siteId: string, query: { limit: number; cursor?: string }) {
  return supplierStore.list(siteId, query.limit, query.cursor);
}

/** A delivery as a response shows it: UTC instants, and the same on the site's wall clock. */
export function deliveryView(delivery: NextDelivery, timeZone: string) {
  const local = (instant: number) => {
    const { date, time } = wallClock(instant, timeZone);
    return `${date}T${time.slice(0, 5)}`;
  };
  return {
    orderBy: new Date(delivery.orderBy).toISOString(),
    arrivesAt: new Date(delivery.arrivesAt).toISOString(),
    deliveryDate: delivery.deliveryDate,
    timeZone,
    local: { orderBy: local(delivery.orderBy), arrivesAt: local(delivery.arrivesAt) },
  };
}

/** What a response shows of an offer: the pack size in the item's base unit, whether it is the item's preferred one. */
export function publicOffer(offer: OfferRecord, preferred: boolean) {
  return { ...offer, packSize: offer.packSize / MILLI, preferred };
}

/** The supplier with everything it sells and the next delivery an order sent now would get. */
export async function getSupplier(siteId: string, supplierId: string, now = Date.now()) {
  const [supplier, offers, timeZone, preferred] = await Promise.all([
    loadSupplier(siteId, supplierId),
    supplierStore.offersOf(siteId, supplierId),
    siteStore.timeZoneOf(siteId),
    supplierStore.preferredSuppliers(siteId),
  ]);
  return {
    ...supplier,
    offers: offers.map((offer) => publicOffer(offer, preferred.get(offer.itemId) === supplierId)),
    nextDelivery: deliveryView(nextDelivery(now, supplier, timeZone), timeZone),
  };
}

/**
 * Sets what the supplier sells the item in and at what price. The pack must convert for the item (a 422 naming it
 * otherwise); its size is kept in milli-base units, so a later change of the item's units does not change what
 * was ordered. A new price appends to the history in the offer's own transaction; the same price appends nothing.
 * `preferred: true` makes this supplier the item's preferred one (the one its drafts go to); the item's first
 * offer becomes preferred by itself; `false` leaves the preference where it is.
 */
export async function putOffer(siteId: string, supplierId: string, itemId: string, input: PutOfferInput, by: string) {
  const [item, supplier, existing] = await Promise.all([itemStore.get(siteId, itemId), loadSupplier(siteId, supplierId), supplierStore.offer(siteId, supplierId, itemId)]);
  if (!item) throw new NotFoundError('Stock item not found');
  if (supplier.archived) throw new ConflictError(`Supplier ${supplierId} is archived`, { supplierId });
  if (item.archived) throw new ConflictError(`Stock item ${itemId} is archived`, { itemId });
  const packSize = toBaseQuantity(item, 1, input.packUnit);
  const now = new Date().toISOString();
  const price: PriceEntry | undefined = existing?.packPrice === input.packPrice ? undefined : { packPrice: input.packPrice, at: now, by };
  const offer: OfferRecord = {
    siteId,
    supplierId,
    itemId,
    packUnit: input.packUnit,
    packPrice: input.packPrice,
    ...(input.supplierSku === undefined ? {} : { supplierSku: input.supplierSku }),
    packSize,
    recentPrices: price ? [price, ...(existing?.recentPrices ?? [])].slice(0, RECENT_PRICES) : (existing?.recentPrices ?? []),
    version: (existing?.version ?? 0) + 1,
    updatedAt: now,
  };
  await supplierStore.putOffer(offer, existing?.version, price, input.preferred === true ? 'set' : input.preferred === false ? 'keep' : 'if-none');
  const preferredNow = await supplierStore.preferredSupplierOf(siteId, itemId);
  return { created: !existing, offer: publicOffer(offer, preferredNow === supplierId) };
}

export async function listPrices(siteId: string, supplierId: string, itemId: string, query: { limit: number; cursor?: string }) {
  const offer = await supplierStore.offer(siteId, supplierId, itemId);
  if (!offer) throw new NotFoundError('Offer not found');
  return supplierStore.prices(siteId, supplierId, itemId, query.limit, query.cursor);
}
