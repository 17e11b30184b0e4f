// The demo site's stock: one stock item for every ingredient the demo menu's recipes name (menu.ts), with the
// units a kitchen buys them in, a par and reorder point, and an opening receipt so on-hand, the average cost and
// the ledger have something to show; orders placed after `npm start` deplete it. Each item is written with its
// on-hand row and its receipt in one transaction, on condition the item is new: a restart neither duplicates nor
// resets stock that orders have moved since. No events: the seed is the starting state, not a change to publish.
// The demo menu's recipes are stored too (seedInventoryRecipes), as menu.item-changed would have brought them, so
// auto-86 judges the demo menu from the first sale.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { averageAfterReceipt } from '../../functions/inventory/ledger-rules';
import type { ItemRecord, MovementRecord } from '../../functions/inventory/schemas';
import { inventoryKeys } from '../../functions/inventory/table';
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

const STOCK: StockSeed[] = [
  { itemId: 'beef-patty', name: 'Beef patty 6 oz', category: 'meat', baseUnit: 'each', units: [{ name: 'box', quantity: 40, unit: 'each' }], location: 'walk-in', pack: 'box', par: 3, reorderPoint: 1, received: 2, packCost: 9600, shelfLifeDays: 5 },
  { itemId: 'brioche-bun', name: 'Brioche bun', category: 'bakery', baseUnit: 'each', units: [{ name: 'bag', quantity: 12, unit: 'each' }, { name: 'case', quantity: 6, unit: 'bag' }], location: 'dry-store', pack: 'case', par: 2, reorderPoint: 1, received: 1, packCost: 3240, shelfLifeDays: 4 },
  { itemId: 'cheddar', name: 'Aged cheddar', category: 'dairy', baseUnit: 'g', units: [{ name: 'block', quantity: 2.5, unit: 'kg' }], location: 'walk-in', pack: 'block', par: 2, reorderPoint: 1, received: 2, packCost: 3150, shelfLifeDays: 30 },
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
export async function seedInventoryDemo(db: DynamoDBDocumentClient, stage: string, siteId: string): Promise<number> {
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
  return created + (await seedInventoryRecipes(db, stage, siteId));
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
