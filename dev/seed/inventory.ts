// The demo site's stock: one stock item for every ingredient the demo menu's recipes name (menu.ts), with the
// units a kitchen buys them in, a par and reorder point, and an opening receipt so on-hand, the average cost and
// the ledger have something to show; orders placed after `npm start` deplete it. Each item is written with its
// on-hand row and its receipt in one transaction, on condition the item is new: a restart neither duplicates nor
// resets stock that orders have moved since. No events: the seed is the starting state, not a change to publish.
// The demo menu's recipes are stored too (seedInventoryRecipes), as menu.item-changed would have brought them, so
// auto-86 judges the demo menu from the first sale. Then purchasing (seedPurchasing): three suppliers with their
// offers and the roaster's price history, and the demo's low item (cheddar, at its reorder point) with its open
// episode and the dairy's draft PO, so a newcomer sees both after `npm start`.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { averageAfterReceipt } from '../../functions/inventory/ledger-rules';
import { assessItem, episodeAfter } from '../../functions/inventory/low-stock-rules';
import { draftFor, draftId, draftRecord } from '../../functions/inventory/purchase-draft-rules';
import type { ItemRecord, MovementRecord, OfferRecord, SupplierRecord } from '../../functions/inventory/schemas';
import { indexKeys, inventoryKeys } from '../../functions/inventory/table';
import type { MenuItemRecord } from '../../functions/orders/schemas';
import { menuKeys } from '../../functions/orders/store';
import { toBaseQuantity, type BaseUnit, type UnitDefinition } from '../../functions/inventory/units';

interface StockSeed {
  itemId: string;
  name: string;
  category: string;
  baseUnit: BaseUnit;
  units: UnitDefinition[];
  location: 'walk-in' | 'dry-store';
  /** Par and reorder point, and the opening receipt, in `pack`. */
  pack: string;
  par: number;
  reorderPoint: number;
  received: number;
  /** What one pack cost, in cents. */
  packCost: number;
  shelfLifeDays?: number;
}

export const STOCK: StockSeed[] = [
  { itemId: 'beef-patty', name: 'Beef patty 6 oz', category: 'meat', baseUnit: 'each', units: [{ name: 'box', quantity: 40, unit: 'each' }], location: 'walk-in', pack: 'box', par: 3, reorderPoint: 1, received: 2, packCost: 9600, shelfLifeDays: 5 },
  { itemId: 'brioche-bun', name: 'Brioche bun', category: 'bakery', baseUnit: 'each', units: [{ name: 'bag', quantity: 12, unit: 'each' }, { name: 'case', quantity: 6, unit: 'bag' }], location: 'dry-store', pack: 'case', par: 2, reorderPoint: 1, received: 1, packCost: 3240, shelfLifeDays: 4 },
  // At its reorder point from the start: the demo's low item, with its episode and the dairy's draft (seedPurchasing).
  { itemId: 'cheddar', name: 'Aged cheddar', category: 'dairy', baseUnit: 'g', units: [{ name: 'block', quantity: 2.5, unit: 'kg' }], location: 'walk-in', pack: 'block', par: 3, reorderPoint: 1, received: 1, packCost: 3150, shelfLifeDays: 30 },
  { itemId: 'bacon', name: 'Smoked bacon, sliced', category: 'meat', baseUnit: 'each', units: [{ name: 'pack', quantity: 16, unit: 'each' }, { name: 'case', quantity: 12, unit: 'pack' }], location: 'walk-in', pack: 'pack', par: 12, reorderPoint: 4, received: 10, packCost: 899, shelfLifeDays: 7 },
  { itemId: 'chicken-breast', name: 'Chicken breast', category: 'meat', baseUnit: 'g', units: [{ name: 'case', quantity: 10, unit: 'kg' }], location: 'walk-in', pack: 'case', par: 1, reorderPoint: 0.5, received: 1, packCost: 8900, shelfLifeDays: 4 },
  { itemId: 'romaine', name: 'Romaine hearts', category: 'produce', baseUnit: 'g', units: [{ name: 'head', quantity: 600, unit: 'g' }, { name: 'case', quantity: 24, unit: 'head' }], location: 'walk-in', pack: 'case', par: 1, reorderPoint: 0.5, received: 1, packCost: 4200, shelfLifeDays: 7 },
  { itemId: 'parmesan', name: 'Parmigiano Reggiano', category: 'dairy', baseUnit: 'g', units: [{ name: 'wedge', quantity: 1, unit: 'kg' }], location: 'walk-in', pack: 'wedge', par: 3, reorderPoint: 1, received: 2, packCost: 2600, shelfLifeDays: 60 },
  { itemId: 'potato', name: 'Russet potatoes', category: 'produce', baseUnit: 'g', units: [{ name: 'sack', quantity: 25, unit: 'kg' }], location: 'dry-store', pack: 'sack', par: 2, reorderPoint: 1, received: 2, packCost: 2800, shelfLifeDays: 30 },
  { itemId: 'sirloin', name: 'Sirloin, strip loin', category: 'meat', baseUnit: 'g', units: [{ name: 'case', quantity: 12, unit: 'kg' }], location: 'walk-in', pack: 'case', par: 1, reorderPoint: 0.5, received: 1, packCost: 21600, shelfLifeDays: 6 },
  { itemId: 'lemon', name: 'Lemons', category: 'produce', baseUnit: 'each', units: [{ name: 'case', quantity: 115, unit: 'each' }], location: 'walk-in', pack: 'case', par: 1, reorderPoint: 0.5, received: 1, packCost: 4600, shelfLifeDays: 21 },
  { itemId: 'coffee-beans', name: 'Espresso beans', category: 'beverages', baseUnit: 'g', units: [{ name: 'bag', quantity: 1, unit: 'kg' }, { name: 'case', quantity: 6, unit: 'bag' }], location: 'dry-store', pack: 'bag', par: 6, reorderPoint: 2, received: 5, packCost: 2450, shelfLifeDays: 90 },
  { itemId: 'soup-base', name: 'Soup base (house stock)', category: 'prepared', baseUnit: 'ml', units: [{ name: 'tub', quantity: 4, unit: 'l' }], location: 'walk-in', pack: 'tub', par: 4, reorderPoint: 2, received: 3, packCost: 1400, shelfLifeDays: 3 },
];

/** Writes what is missing of the demo stock and recipes; returns how many records it created. */
export async function seedInventoryDemo(db: DynamoDBDocumentClient, stage: string, siteId: string, timeZone = 'UTC'): Promise<number> {
  const table = `brigade-${stage}-inventory`;
  const at = new Date().toISOString();
  let created = 0;
  for (const seed of STOCK) {
    const units = { itemId: seed.itemId, baseUnit: seed.baseUnit, units: seed.units };
    const quantity = toBaseQuantity(units, seed.received, seed.pack);
    const cost = seed.packCost * seed.received;
    const item: ItemRecord = {
      siteId,
      itemId: seed.itemId,
      name: seed.name,
      category: seed.category,
      kind: 'ingredient',
      baseUnit: seed.baseUnit,
      units: seed.units,
      locations: [seed.location, 'line'],
      depleteFrom: seed.location,
      par: toBaseQuantity(units, seed.par, seed.pack),
      reorderPoint: toBaseQuantity(units, seed.reorderPoint, seed.pack),
      ...(seed.shelfLifeDays === undefined ? {} : { shelfLifeDays: seed.shelfLifeDays }),
      averageCost: averageAfterReceipt({ itemId: seed.itemId, baseUnit: seed.baseUnit, archived: false, averageCost: 0, onHand: {} }, quantity, cost),
      archived: false,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const movement: MovementRecord = {
      siteId,
      itemId: seed.itemId,
      movementId: `seed-${seed.itemId}`,
      kind: 'receive',
      at,
      by: 'seed',
      changes: [{ location: seed.location, before: 0, after: quantity }],
      value: cost,
      note: 'opening stock',
    };
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { ...inventoryKeys.item(siteId, seed.itemId), ...item }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: table, Item: { ...inventoryKeys.onHand(siteId, seed.itemId, seed.location), siteId, itemId: seed.itemId, location: seed.location, quantity, version: 1, updatedAt: at } } },
            { Put: { TableName: table, Item: { ...inventoryKeys.movement(siteId, seed.itemId, at, movement.movementId), ...movement } } },
          ],
        }),
      );
      created++;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  }
  return created + (await seedInventoryRecipes(db, stage, siteId)) + (await seedPurchasing(db, stage, siteId, timeZone, at));
}

/**
 * Stores the recipe of every menu item of the demo site as seeded in orders' table (seedDemoMenu runs first), one
 * portion without modifiers, unless inventory already knows that item. Returns how many it stored.
 */
export async function seedInventoryRecipes(db: DynamoDBDocumentClient, stage: string, siteId: string): Promise<number> {
  const { pk } = menuKeys.item(siteId, '');
  const { Items } = await db.send(
    new QueryCommand({ TableName: `brigade-${stage}-orders`, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)', ExpressionAttributeValues: { ':pk': pk, ':item': 'ITEM#' } }),
  );
  const at = new Date().toISOString();
  let created = 0;
  for (const menu of (Items ?? []) as MenuItemRecord[]) {
    const recipe = { siteId, menuItemId: menu.itemId, name: menu.name, recipe: menu.recipe, active: menu.active, menuVersion: menu.version, takenOff: false, availabilityVersion: 0, updatedAt: at };
    try {
      await db.send(new PutCommand({ TableName: `brigade-${stage}-inventory`, Item: { ...inventoryKeys.recipe(siteId, menu.itemId), ...recipe }, ConditionExpression: 'attribute_not_exists(pk)' }));
      created++;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return created;
}

interface SupplierSeed {
  supplier: Omit<SupplierRecord, 'siteId' | 'version' | 'createdAt' | 'updatedAt'>;
  offers: Array<{ itemId: string; packUnit: string; packPrice: number; supplierSku: string; earlierPrice?: number }>;
}

// A coffee roaster, a dairy and a produce wholesaler, each the preferred supplier of what it sells. The roaster
// raised its price a month ago: the espresso beans' price history has two entries.
const SUPPLIERS: SupplierSeed[] = [
  {
    supplier: {
      supplierId: 'northside-roasters',
      name: 'Northside Roasters',
      contact: { name: 'Mina Park', email: 'orders@northside-roasters.example', phone: '+1 555 0101' },
      leadTimeDays: 2,
      deliveryWeekdays: ['tue', 'fri'],
      orderCutOff: '12:00',
      deliveryTime: '09:00',
      minimumOrderValue: 10000,
    },
    offers: [{ itemId: 'coffee-beans', packUnit: 'bag', packPrice: 2450, supplierSku: 'NR-ESP-1KG', earlierPrice: 2300 }],
  },
  {
    supplier: {
      supplierId: 'valley-dairy',
      name: 'Valley Dairy Co.',
      contact: { name: 'Tom Reyes', email: 'dispatch@valley-dairy.example', phone: '+1 555 0102' },
      leadTimeDays: 1,
      deliveryWeekdays: ['mon', 'wed', 'fri'],
      orderCutOff: '14:00',
      deliveryTime: '07:30',
      minimumOrderValue: 5000,
    },
    offers: [
      { itemId: 'cheddar', packUnit: 'block', packPrice: 3150, supplierSku: 'VD-CHD-25' },
      { itemId: 'parmesan', packUnit: 'wedge', packPrice: 2600, supplierSku: 'VD-PRM-1' },
    ],
  },
  {
    supplier: {
      supplierId: 'green-market-produce',
      name: 'Green Market Produce',
      contact: { name: 'Ana Lopes', email: 'sales@green-market.example' },
      leadTimeDays: 1,
      deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      orderCutOff: '18:00',
      deliveryTime: '08:00',
      minimumOrderValue: 7500,
    },
    offers: [
      { itemId: 'romaine', packUnit: 'case', packPrice: 4200, supplierSku: 'GM-ROM-24' },
      { itemId: 'lemon', packUnit: 'case', packPrice: 4600, supplierSku: 'GM-LEM-115' },
      { itemId: 'potato', packUnit: 'sack', packPrice: 2800, supplierSku: 'GM-POT-25' },
    ],
  },
];

const MONTH_MS = 30 * 24 * 60 * 60 * 1000;

/** Puts an item unless its key exists; true when it wrote. */
async function putIfAbsent(db: DynamoDBDocumentClient, table: string, item: Record<string, unknown>): Promise<boolean> {
  try {
    await db.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * The suppliers, their offers (with the price history) and preferred suppliers; then the state the low-stock job
 * would leave on the demo's low item (cheddar at its reorder point): its open episode and the dairy's draft,
 * decided by the same rules the job uses (low-stock-rules.ts, purchase-draft-rules.ts). Each record is put only if
 * absent, so a restart changes nothing; the episode and the draft are seeded only while cheddar is still as seeded
 * (a persisted stack whose cheddar has moved keeps what the job decides). No events: the seed is a starting state.
 */
async function seedPurchasing(db: DynamoDBDocumentClient, stage: string, siteId: string, timeZone: string, at: string): Promise<number> {
  const table = `brigade-${stage}-inventory`;
  let created = 0;
  const suppliers = new Map<string, SupplierRecord>();
  for (const seed of SUPPLIERS) {
    const supplier: SupplierRecord = { siteId, ...seed.supplier, version: 1, createdAt: at, updatedAt: at };
    suppliers.set(supplier.supplierId, supplier);
    if (await putIfAbsent(db, table, { ...inventoryKeys.supplier(siteId, supplier.supplierId), ...supplier })) created++;
    for (const offer of seed.offers) {
      const item = STOCK.find((s) => s.itemId === offer.itemId)!;
      const packSize = toBaseQuantity({ itemId: item.itemId, baseUnit: item.baseUnit, units: item.units }, 1, offer.packUnit);
      const earlierAt = new Date(Date.parse(at) - MONTH_MS).toISOString();
      const prices = [{ packPrice: offer.packPrice, at, by: 'seed' }, ...(offer.earlierPrice ? [{ packPrice: offer.earlierPrice, at: earlierAt, by: 'seed' }] : [])];
      const record: OfferRecord = { siteId, supplierId: supplier.supplierId, itemId: offer.itemId, packUnit: offer.packUnit, packPrice: offer.packPrice, supplierSku: offer.supplierSku, packSize, recentPrices: prices, version: 1, updatedAt: at };
      if (!(await putIfAbsent(db, table, { ...inventoryKeys.offer(siteId, supplier.supplierId, offer.itemId), ...record }))) continue;
      created++;
      for (const price of prices) await putIfAbsent(db, table, { ...inventoryKeys.price(siteId, supplier.supplierId, offer.itemId, price.at), siteId, supplierId: supplier.supplierId, itemId: offer.itemId, ...price });
      await putIfAbsent(db, table, { ...inventoryKeys.preferredSupplier(siteId, offer.itemId), siteId, itemId: offer.itemId, supplierId: supplier.supplierId, updatedAt: at });
    }
  }
  return created + (await seedLowItem(db, table, siteId, timeZone, suppliers.get('valley-dairy')!, 'cheddar'));
}

async function seedLowItem(db: DynamoDBDocumentClient, table: string, siteId: string, timeZone: string, supplier: SupplierRecord, itemId: string): Promise<number> {
  const { Item: stored } = await db.send(new GetCommand({ TableName: table, Key: inventoryKeys.item(siteId, itemId), ConsistentRead: true }));
  const { Item: row } = await db.send(new GetCommand({ TableName: table, Key: inventoryKeys.onHand(siteId, itemId, 'walk-in'), ConsistentRead: true }));
  const item = stored as ItemRecord | undefined;
  if (!item || !row || row.version !== 1) return 0;
  const now = Date.now();
  const onHand = row.quantity as number;
  const assessment = assessItem({ item, onHand, usage: 0, supplier, timeZone, now });
  const next = episodeAfter(undefined, { siteId, itemId, itemName: item.name, unit: item.baseUnit }, assessment, now);
  if (!next?.record.open) return 0;
  if (!(await putIfAbsent(db, table, { ...inventoryKeys.episode(siteId, itemId), ...next.record, ...indexKeys.lowStock(siteId, itemId) }))) return 0;
  const { Item: offer } = await db.send(new GetCommand({ TableName: table, Key: inventoryKeys.offer(siteId, supplier.supplierId, itemId), ConsistentRead: true }));
  const draft = offer && draftFor(supplier.minimumOrderValue, [offer as OfferRecord], [item], new Map([[itemId, onHand]]), new Map());
  if (!draft) return 1;
  const po = draftRecord({ siteId, supplierId: supplier.supplierId, purchaseOrderId: draftId(supplier.supplierId, 1), draft, now: new Date(now).toISOString() });
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...inventoryKeys.draftSlot(siteId, supplier.supplierId), siteId, supplierId: supplier.supplierId, openDraftId: po.purchaseOrderId, drafted: 1, updatedAt: po.createdAt }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: table, Item: { ...inventoryKeys.purchaseOrder(siteId, po.purchaseOrderId), ...po, ...indexKeys.openPurchaseOrder(siteId, supplier.supplierId, po.purchaseOrderId) }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof TransactionCanceledException)) throw error;
  });
  return 2;
}
