// The demo site's menu: ordering settings, three categories and a handful of items with modifiers, recipes and
// one counted item (the soup of the day), so `npm start` can take orders at once. Fixed ids and conditional
// writes keep it idempotent on a disk-backed store: a restart neither duplicates nor resets anything.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CategoryRecord, MenuItemRecord, MenuSettingsRecord } from '../../functions/orders/schemas';
import { menuKeys } from '../../functions/orders/store';

type ItemSeed = Omit<MenuItemRecord, 'siteId' | 'eightySixed' | 'createdAt' | 'updatedAt' | 'version' | 'active' | 'modifiers' | 'recipe'> &
  Partial<Pick<MenuItemRecord, 'modifiers' | 'recipe'>>;

/** Late service till 04:00 belongs to the evening before (the demo history files its figures by it too). */
export const DEMO_BUSINESS_DAY_STARTS_AT = '04:00';

export const CATEGORIES = [
  { categoryId: 'starters', name: 'Starters', position: 1 },
  { categoryId: 'mains', name: 'Mains', position: 2 },
  { categoryId: 'drinks', name: 'Drinks', position: 3 },
];

// Prices in cents (USD); New York City sales tax, 8.875 %.
export const ITEMS: ItemSeed[] = [
  {
    itemId: 'soup-of-the-day',
    categoryId: 'starters',
    name: 'Soup of the day',
    price: 800,
    taxRate: '8.875',
    station: 'kitchen',
    remaining: 20,
    recipe: [{ ingredientId: 'soup-base', quantity: 0.35, unit: 'l' }],
  },
  {
    itemId: 'caesar-salad',
    categoryId: 'starters',
    name: 'Caesar salad',
    price: 1200,
    taxRate: '8.875',
    station: 'kitchen',
    modifiers: [{ modifierId: 'add-chicken', name: 'Add chicken', priceDelta: 450, recipe: [{ ingredientId: 'chicken-breast', quantity: 0.12, unit: 'kg' }] }],
    recipe: [
      { ingredientId: 'romaine', quantity: 0.15, unit: 'kg' },
      { ingredientId: 'parmesan', quantity: 20, unit: 'g' },
    ],
  },
  {
    itemId: 'bistro-burger',
    categoryId: 'mains',
    name: 'Bistro burger',
    price: 1650,
    taxRate: '8.875',
    station: 'kitchen',
    modifiers: [
      { modifierId: 'cheddar', name: 'Cheddar', priceDelta: 150, recipe: [{ ingredientId: 'cheddar', quantity: 25, unit: 'g' }] },
      { modifierId: 'bacon', name: 'Bacon', priceDelta: 250, recipe: [{ ingredientId: 'bacon', quantity: 2, unit: 'each' }] },
      { modifierId: 'rare', name: 'Rare', priceDelta: 0, group: 'doneness', recipe: [] },
      { modifierId: 'medium', name: 'Medium', priceDelta: 0, group: 'doneness', recipe: [] },
      { modifierId: 'well-done', name: 'Well done', priceDelta: 0, group: 'doneness', recipe: [] },
    ],
    recipe: [
      { ingredientId: 'beef-patty', quantity: 1, unit: 'each' },
      { ingredientId: 'brioche-bun', quantity: 1, unit: 'each' },
    ],
  },
  {
    itemId: 'steak-frites',
    categoryId: 'mains',
    name: 'Steak frites',
    price: 2800,
    taxRate: '8.875',
    station: 'kitchen',
    recipe: [
      { ingredientId: 'sirloin', quantity: 0.25, unit: 'kg' },
      { ingredientId: 'potato', quantity: 0.3, unit: 'kg' },
    ],
  },
  {
    itemId: 'lemonade',
    categoryId: 'drinks',
    name: 'House lemonade',
    price: 450,
    taxRate: '8.875',
    station: 'bar',
    modifiers: [
      { modifierId: 'small', name: 'Small', priceDelta: -100, group: 'size', recipe: [] },
      { modifierId: 'large', name: 'Large', priceDelta: 150, group: 'size', recipe: [{ ingredientId: 'lemon', quantity: 0.5, unit: 'each' }] },
    ],
    recipe: [{ ingredientId: 'lemon', quantity: 1, unit: 'each' }],
  },
  {
    itemId: 'espresso',
    categoryId: 'drinks',
    name: 'Espresso',
    price: 350,
    taxRate: '8.875',
    station: 'bar',
    modifiers: [{ modifierId: 'extra-shot', name: 'Extra shot', priceDelta: 100, recipe: [{ ingredientId: 'coffee-beans', quantity: 9, unit: 'g' }] }],
    recipe: [{ ingredientId: 'coffee-beans', quantity: 9, unit: 'g' }],
  },
];

/** Writes what is missing of the demo menu; returns how many records it created. */
export async function seedDemoMenu(db: DynamoDBDocumentClient, stage: string, siteId: string): Promise<number> {
  const table = `brigade-${stage}-orders`;
  const now = new Date().toISOString();
  const putOnce = async (key: { pk: string; sk: string }, record: object) => {
    try {
      await db.send(new PutCommand({ TableName: table, Item: { ...key, ...record }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return 1;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 0;
      throw error;
    }
  };
  const settings: MenuSettingsRecord = { siteId, timeZone: 'America/New_York', currency: 'USD', businessDayStartsAt: DEMO_BUSINESS_DAY_STARTS_AT, updatedAt: now, version: 1 };
  let created = await putOnce(menuKeys.settings(siteId), settings);
  for (const category of CATEGORIES) {
    const record: CategoryRecord = { siteId, ...category, active: true, createdAt: now, updatedAt: now, version: 1 };
    created += await putOnce(menuKeys.category(siteId, category.categoryId), record);
  }
  for (const item of ITEMS) {
    const record: MenuItemRecord = { siteId, modifiers: [], recipe: [], ...item, active: true, eightySixed: false, createdAt: now, updatedAt: now, version: 1 };
    created += await putOnce(menuKeys.item(siteId, item.itemId), record);
  }
  return created;
}
