// The inventory table, `brigade-<stage>-inventory`, holds every aggregate of the domain, each behind its own store;
// this is the layout they share (docs/inventory.md, "Table"). Ids in keys are [A-Za-z0-9_-] (schemas.ts), so `#`
// only ever separates.
//
//   SITE#{site}#STOCK / ITEM#{item}                  a stock item: units, category, locations, par, reorder point,
//                                                    shelf life, average cost, archived, version
//   SITE#{site}#STOCK / ONHAND#{item}#{location}     on-hand at a location (milli-base units), version: written in
//                                                    the transaction of the movement, conditional on the version read
//   SITE#{site}#STOCK / EPISODE#{item}               the item's low-stock episode (open, episode number)
//   SITE#{site}#ITEM#{item} / MOVE#{at}#{movement}   the ledger, append-only (put only if absent), per item, oldest
//                                                    first; `at` is the UTC instant of the movement
//   SITE#{site}#SUPPLIERS / SUPPLIER#{supplier}                      a supplier: contact, schedule, minimum order value,
//                                                                    version (supplier-store.ts); one partition per site, so
//                                                                    the site's suppliers are one query
//   SITE#{site}#STOCK / PREFERRED#{item}                             the supplier the item's drafts go to (supplier-store.ts)
//   SITE#{site}#SUPPLIER#{supplier} / DRAFT                          the supplier's draft slot: the draft now open, a counter
//                                                                    naming the next (purchase-draft-store.ts)
//   SITE#{site}#SUPPLIER#{supplier} / OFFER#{item}                   what it sells the item in (pack) and the price now
//   SITE#{site}#SUPPLIER#{supplier} / PRICE#{item}#{at}              one price of the item's history (put only if absent)
//   SITE#{site}#PO#{purchaseOrder} / PO                              a purchase order, its lines and receipts, version
//   SITE#{site}#PO#{purchaseOrder} / RECEIPT#{at}#{receipt}          one delivery received against it: lines, invoice prices,
//                                                                    flags, movements (purchase-order-store.ts)
//   SITE#{site}#PO-CLOSED / {status}#{closedAt}#{purchaseOrder}      a copy of a PO as it closed (received or cancelled: it
//                                                                    never changes again), so closed POs list by status
//   SITE#{site}#ORDER#{order} / DEPLETION            what an order took, per line, and the keys of the events applied
//                                                    (depletion-rules.ts), version: written in the transaction of the
//                                                    movements, conditional on the version read, so a replay depletes once
//   SITE#{site}#MENU / RECIPE#{menuItem}             a menu item's portion recipe as orders publishes it (menuVersion:
//                                                    only a newer one replaces it), whether inventory took the item off
//                                                    and its availabilityVersion (recipe-store.ts, auto-86-rules.ts)
//   SITE#{site}#UNRESOLVED / INGREDIENT#{ingredient} an ingredient recipes use without a stock item, for the manager
//   SITE#{site}#UNRESOLVED / RECIPE#{menuItem}       a menu item sold without a recipe
//   SITE#{site}#UNRESOLVED / UNIT#{ingredient}#{unit} a recipe unit that does not convert for the ingredient's item
//   SITES / SITE#{site}                              a site as the users domain published it: time zone, currency,
//                                                    version (site-store.ts); one partition, so jobs list the sites
//   SITE#{site}#STORAGE / LOCATION#{location}        a storage location's name and the refrigeration units linked to
//                                                    it (hold-store.ts), version
//   SITE#{site}#HOLDS / HOLD#{holdId}                a food-safety hold: the location, what was on hand there, status;
//                                                    holdId starts with the UTC time it began, so ids sort by age
//   SITE#{site}#HOLDS / OPEN#{location}              the location's open hold (one at most), present while it is open:
//                                                    auto-86 counts no stock at that location
//   SITE#{site}#DEMAND / LATEST                      the newest forecast.ingredient-demand run learnt, pointing to its
//                                                    chunks (demand-forecast-store.ts)
//   SITE#{site}#DEMAND / RUN#{createdAt}#{run}#CHUNK#{n}  up to 250 ingredients' daily use and σ of that run (TTL)
//   SITE#{site}#SETTINGS / REORDER                   the service level of reorder safety stock (reorder-settings-store.ts)
//   SITE#{site}#OUTBOX#{eventId} / OUTBOX            an event not yet published (shared/outbox.ts)
//   EVENT#{consumer}#{eventId} / RECEIPT             the SNS consumers' receipts (shared/sns-consumer.ts)
//
// Indexes:
//   byDay     (dayPk = SITE#{site}#DAY#{local date}, daySk = {at}#{movement}) on movements: a date range's
//             movements for the reports (usage, variance, waste by reason)
//   lowStock  (lowPk = SITE#{site}#LOW, lowSk = {item}) sparse, on open episodes only: what is low now
//   openPos   (poPk = SITE#{site}#PO-OPEN, poSk = {supplier}#{purchaseOrder}) sparse, on POs not received or
//             cancelled: what is on order, per supplier (the drafts subtract it)
export const DAY_INDEX = 'byDay';
export const LOW_STOCK_INDEX = 'lowStock';
export const OPEN_PURCHASE_ORDERS_INDEX = 'openPos';

// A type, not an interface: it must fit the toolkit's `Key` (an index signature) for batch reads.
export type TableKey = { pk: string; sk: string };

const site = (siteId: string) => `SITE#${siteId}`;
const stockPk = (siteId: string) => `${site(siteId)}#STOCK`;
const supplierPk = (siteId: string, supplierId: string) => `${site(siteId)}#SUPPLIER#${supplierId}`;
const suppliersPk = (siteId: string) => `${site(siteId)}#SUPPLIERS`;
const orderPk = (siteId: string, orderId: string) => `${site(siteId)}#ORDER#${orderId}`;
const unresolvedPk = (siteId: string) => `${site(siteId)}#UNRESOLVED`;
const movementsPk = (siteId: string, itemId: string) => `${site(siteId)}#ITEM#${itemId}`;
const menuPk = (siteId: string) => `${site(siteId)}#MENU`;
const demandPk = (siteId: string) => `${site(siteId)}#DEMAND`;

/** The partitions the stores query: a site's stock, an item's ledger, what depletion could not resolve, the recipes. */
export const partitions = { sites: 'SITES', stock: stockPk, suppliers: suppliersPk, offers: supplierPk, movements: movementsPk, unresolved: unresolvedPk, menu: menuPk, demand: demandPk };

export const inventoryKeys = {
  site: (siteId: string): TableKey => ({ pk: 'SITES', sk: `SITE#${siteId}` }),
  item: (siteId: string, itemId: string): TableKey => ({ pk: stockPk(siteId), sk: `ITEM#${itemId}` }),
  onHand: (siteId: string, itemId: string, location: string): TableKey => ({ pk: stockPk(siteId), sk: `ONHAND#${itemId}#${location}` }),
  episode: (siteId: string, itemId: string): TableKey => ({ pk: stockPk(siteId), sk: `EPISODE#${itemId}` }),
  movement: (siteId: string, itemId: string, at: string, movementId: string): TableKey => ({ pk: movementsPk(siteId, itemId), sk: `MOVE#${at}#${movementId}` }),
  supplier: (siteId: string, supplierId: string): TableKey => ({ pk: suppliersPk(siteId), sk: `SUPPLIER#${supplierId}` }),
  preferredSupplier: (siteId: string, itemId: string): TableKey => ({ pk: stockPk(siteId), sk: `PREFERRED#${itemId}` }),
  draftSlot: (siteId: string, supplierId: string): TableKey => ({ pk: supplierPk(siteId, supplierId), sk: 'DRAFT' }),
  offer: (siteId: string, supplierId: string, itemId: string): TableKey => ({ pk: supplierPk(siteId, supplierId), sk: `OFFER#${itemId}` }),
  price: (siteId: string, supplierId: string, itemId: string, at: string): TableKey => ({ pk: supplierPk(siteId, supplierId), sk: `PRICE#${itemId}#${at}` }),
  purchaseOrder: (siteId: string, purchaseOrderId: string): TableKey => ({ pk: `${site(siteId)}#PO#${purchaseOrderId}`, sk: 'PO' }),
  purchaseOrderReceipt: (siteId: string, purchaseOrderId: string, at: string, receiptId: string): TableKey => ({ pk: `${site(siteId)}#PO#${purchaseOrderId}`, sk: `RECEIPT#${at}#${receiptId}` }),
  closedPurchaseOrder: (siteId: string, status: string, closedAt: string, purchaseOrderId: string): TableKey => ({ pk: `${site(siteId)}#PO-CLOSED`, sk: `${status}#${closedAt}#${purchaseOrderId}` }),
  depletion: (siteId: string, orderId: string): TableKey => ({ pk: orderPk(siteId, orderId), sk: 'DEPLETION' }),
  recipe: (siteId: string, menuItemId: string): TableKey => ({ pk: menuPk(siteId), sk: `RECIPE#${menuItemId}` }),
  latestDemand: (siteId: string): TableKey => ({ pk: demandPk(siteId), sk: 'LATEST' }),
  reorderSettings: (siteId: string): TableKey => ({ pk: `${site(siteId)}#SETTINGS`, sk: 'REORDER' }),
  storageLocation: (siteId: string, location: string): TableKey => ({ pk: `${site(siteId)}#STORAGE`, sk: `LOCATION#${location}` }),
  hold: (siteId: string, holdId: string): TableKey => ({ pk: `${site(siteId)}#HOLDS`, sk: `HOLD#${holdId}` }),
  openHold: (siteId: string, location: string): TableKey => ({ pk: `${site(siteId)}#HOLDS`, sk: `OPEN#${location}` }),
  unknownIngredient: (siteId: string, ingredientId: string): TableKey => ({ pk: unresolvedPk(siteId), sk: `INGREDIENT#${ingredientId}` }),
  missingRecipe: (siteId: string, menuItemId: string): TableKey => ({ pk: unresolvedPk(siteId), sk: `RECIPE#${menuItemId}` }),
  unconvertibleUnit: (siteId: string, ingredientId: string, unit: string): TableKey => ({ pk: unresolvedPk(siteId), sk: `UNIT#${ingredientId}#${unit}` }),
};

/** Begins-with prefixes of the site's stock partition. */
export const stockPrefixes = { items: 'ITEM#', onHand: (itemId?: string) => (itemId ? `ONHAND#${itemId}#` : 'ONHAND#'), episodes: 'EPISODE#', preferred: 'PREFERRED#' };

export const indexKeys = {
  day: (siteId: string, localDate: string, at: string, movementId: string) => ({ dayPk: `${site(siteId)}#DAY#${localDate}`, daySk: `${at}#${movementId}` }),
  lowStock: (siteId: string, itemId: string) => ({ lowPk: `${site(siteId)}#LOW`, lowSk: itemId }),
  openPurchaseOrder: (siteId: string, supplierId: string, purchaseOrderId: string) => ({ poPk: `${site(siteId)}#PO-OPEN`, poSk: `${supplierId}#${purchaseOrderId}` }),
};
