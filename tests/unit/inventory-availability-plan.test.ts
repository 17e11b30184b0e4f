// What one auto-86 review commits (availability-plan.ts): the recipe records at their next availability version,
// conditional on the version read; the on-hand rows the decision rests on, checked unchanged; events that satisfy
// inventory's contract with their per-menu-item versions; archived items not judged; a big change split.
import { parseEvent } from '../../functions/shared/contracts/index';
import { planAvailability, stockFor, type AvailabilityRead } from '../../functions/inventory/availability-plan';
import type { RecipeRecord } from '../../functions/inventory/recipe-store';
import type { ItemRecord } from '../../functions/inventory/schemas';
import type { OnHandRow } from '../../functions/inventory/stock-store';

const TABLE = 'brigade-test-inventory';
const NOW = '2026-11-25T19:30:00.000Z';

const item = (itemId: string, baseUnit: ItemRecord['baseUnit'], archived = false): ItemRecord => ({
  siteId: 'bistro',
  itemId,
  name: itemId,
  category: 'food',
  kind: 'ingredient',
  baseUnit,
  units: [],
  locations: ['walk-in', 'line'],
  depleteFrom: 'walk-in',
  par: 0,
  reorderPoint: 0,
  averageCost: 0,
  archived,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
});
const row = (itemId: string, location: string, quantity: number, version: number): OnHandRow => ({ siteId: 'bistro', itemId, location, quantity, version, updatedAt: NOW });
const recipe = (menuItemId: string, ingredients: RecipeRecord['recipe'], takenOff = false, availabilityVersion = 0): RecipeRecord => ({
  menuItemId,
  name: `The ${menuItemId}`,
  recipe: ingredients,
  active: true,
  menuVersion: 3,
  takenOff,
  availabilityVersion,
});

const burger = (takenOff = false, availabilityVersion = 0) =>
  recipe('burger', [{ ingredientId: 'beef', quantity: 150, unit: 'g' }, { ingredientId: 'bun', quantity: 1, unit: 'each' }], takenOff, availabilityVersion);
const items = new Map([['beef', item('beef', 'g')], ['bun', item('bun', 'each')]]);
/** Beef over two locations: 100 g + 40 g, less than the 150 g a burger takes. */
const shortRows = new Map([
  ['beef', new Map([['walk-in', row('beef', 'walk-in', 100_000, 7)], ['line', row('beef', 'line', 40_000, 2)]])],
  ['bun', new Map([['walk-in', row('bun', 'walk-in', 12_000, 4)]])],
]);

const plan = (read: AvailabilityRead, limit?: number) => planAvailability(TABLE, 'bistro', read, NOW, 'corr-1', limit);

describe('auto-86 review: the transaction it commits', () => {
  it('takes a short item off: its record at the next version if still the one read, an event naming the short ingredient, its stock checked', () => {
    const result = plan({ recipes: [burger(false, 2)], items, rows: shortRows });
    expect(result.takenOff).toEqual(['burger']);
    const update = result.writes[0]!.Update!;
    expect(update.Key).toEqual({ pk: 'SITE#bistro#MENU', sk: 'RECIPE#burger' });
    expect(update.ConditionExpression).toBe('availabilityVersion = :read');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':off': true, ':next': 3, ':read': 2 });
    const checks = result.writes.slice(1).map((w) => [w.ConditionCheck!.Key!.sk, w.ConditionCheck!.ExpressionAttributeValues?.[':version'] ?? w.ConditionCheck!.ConditionExpression]);
    // Buns were read at the walk-in only: the line must still have none (a first receipt there fails the decision);
    // and each item must still have the locations read (a location added since may hold a receipt).
    expect(checks).toEqual([
      ['ONHAND#beef#walk-in', 7],
      ['ONHAND#beef#line', 2],
      ['ITEM#beef', 'size(locations) = :count'],
      ['ONHAND#bun#walk-in', 4],
      ['ONHAND#bun#line', 'attribute_not_exists(pk)'],
      ['ITEM#bun', 'size(locations) = :count'],
    ]);
    expect(result.writes.find((w) => w.ConditionCheck?.Key?.sk === 'ITEM#bun')!.ConditionCheck!.ExpressionAttributeValues).toEqual({ ':count': 2 });

    expect(result.events).toHaveLength(1);
    const parsed = parseEvent(result.events[0], ['inventory.item-unavailable']);
    if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.event.id).toBe('availability:burger:v3');
    expect(parsed.event.data).toEqual({
      menuItemId: 'burger',
      name: 'The burger',
      version: 3,
      reason: 'out-of-stock',
      short: [{ ingredientId: 'beef', unit: 'g', perPortion: 150, onHand: 140 }],
    });
  });

  it('gives back an item it took off once stock covers a portion, at the next version', () => {
    const rows = new Map([...shortRows, ['beef', new Map([['walk-in', row('beef', 'walk-in', 160_000, 8)]])]]);
    const result = plan({ recipes: [burger(true, 3)], items, rows });
    expect(result.restored).toEqual(['burger']);
    expect(result.writes[0]!.Update!.ExpressionAttributeValues).toMatchObject({ ':off': false, ':next': 4, ':read': 3 });
    const parsed = parseEvent(result.events[0], ['inventory.item-available']);
    if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.event.id).toBe('availability:burger:v4');
    expect(parsed.event.data).toEqual({ menuItemId: 'burger', name: 'The burger', version: 4 });
  });

  it('writes nothing when nothing changes: short and already off, or covered and on', () => {
    expect(plan({ recipes: [burger(true, 1)], items, rows: shortRows })).toMatchObject({ writes: [], events: [], more: false });
    const plenty = new Map([...shortRows, ['beef', new Map([['walk-in', row('beef', 'walk-in', 150_000, 9)]])]]);
    expect(plan({ recipes: [burger()], items, rows: plenty })).toMatchObject({ writes: [], events: [], more: false });
  });

  it('does not judge a recipe whose ingredient is archived: stock that is no longer kept never takes an item off', () => {
    const archived = new Map([...items, ['beef', item('beef', 'g', true)]]);
    expect(stockFor({ items: archived, rows: shortRows }).has('beef')).toBe(false);
    expect(plan({ recipes: [burger()], items: archived, rows: shortRows }).events).toEqual([]);
  });

  it('regression: an item never received is short, and its 86 holds only while its locations still have no stock', () => {
    const fresh = recipe('fries', [{ ingredientId: 'potato', quantity: 200, unit: 'g' }]);
    const potatoes = new Map([['potato', item('potato', 'g')]]);
    const result = plan({ recipes: [fresh], items: potatoes, rows: new Map() });
    expect(result.takenOff).toEqual(['fries']);
    expect(result.writes.filter((w) => w.ConditionCheck).map((w) => [w.ConditionCheck!.Key!.sk, w.ConditionCheck!.ConditionExpression])).toEqual([
      ['ONHAND#potato#walk-in', 'attribute_not_exists(pk)'],
      ['ONHAND#potato#line', 'attribute_not_exists(pk)'],
      ['ITEM#potato', 'size(locations) = :count'],
    ]);
  });

  it('keeps a transaction within DynamoDB\'s 100 items: fewer menu items per round when their ingredients sit at many locations', () => {
    const locations = Array.from({ length: 10 }, (_, i) => `shelf-${i}`);
    const many = new Map(Array.from({ length: 30 }, (_, i) => [`ing-${i}`, { ...item(`ing-${i}`, 'g'), locations }] as const));
    const recipes = Array.from({ length: 10 }, (_, m) => recipe(`dish-${m}`, [0, 1, 2].map((k) => ({ ingredientId: `ing-${m * 3 + k}`, quantity: 1, unit: 'g' as const }))));
    const result = plan({ recipes, items: many, rows: new Map() });
    expect(result.writes.length + result.events.length).toBeLessThanOrEqual(100);
    expect(result.takenOff.length).toBeGreaterThan(0);
    expect(result.takenOff.length).toBeLessThan(10);
    expect(result.more).toBe(true);
  });

  it('splits a large change: at most `limit` menu items per transaction, take-offs first, and says there is more', () => {
    const recipes = ['a', 'b', 'c'].map((id) => recipe(id, [{ ingredientId: 'beef', quantity: 150, unit: 'g' }]));
    const first = plan({ recipes, items, rows: shortRows }, 2);
    expect(first.takenOff).toEqual(['a', 'b']);
    expect(first.more).toBe(true);
    // The checks name each judged row (and its item) once, however many menu items rest on it.
    expect(first.writes.filter((w) => w.ConditionCheck)).toHaveLength(3);
    const second = plan({ recipes: recipes.map((r) => ({ ...r, takenOff: r.menuItemId !== 'c', availabilityVersion: r.menuItemId !== 'c' ? 1 : 0 })), items, rows: shortRows }, 2);
    expect(second).toMatchObject({ takenOff: ['c'], restored: [], more: false });
  });
});
