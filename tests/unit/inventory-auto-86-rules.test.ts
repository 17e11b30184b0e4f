import { menuAvailability, recipesUsing, type MenuRecipe, type StockOf } from '../../functions/inventory/auto-86-rules';
import type { ItemUnits } from '../../functions/inventory/units';

const unitsOf = (itemId: string, baseUnit: ItemUnits['baseUnit'], units: ItemUnits['units'] = []): ItemUnits => ({ itemId, baseUnit, units });

const burger: MenuRecipe = {
  menuItemId: 'burger',
  name: 'Cheeseburger',
  recipe: [
    { ingredientId: 'beef-patty', quantity: 1, unit: 'each' },
    { ingredientId: 'brioche-bun', quantity: 1, unit: 'each' },
    { ingredientId: 'cheddar', quantity: 20, unit: 'g' },
    { ingredientId: 'cheddar', quantity: 0.01, unit: 'kg' },
  ],
};
const lemonade: MenuRecipe = { menuItemId: 'lemonade', name: 'Lemonade', recipe: [{ ingredientId: 'lemon-juice', quantity: 60, unit: 'ml' }] };
const water: MenuRecipe = { menuItemId: 'water', name: 'Tap water', recipe: [] };

function stockOf(onHand: Record<string, number>): Map<string, StockOf> {
  const items: Record<string, ItemUnits> = {
    'beef-patty': unitsOf('beef-patty', 'each'),
    'brioche-bun': unitsOf('brioche-bun', 'each'),
    cheddar: unitsOf('cheddar', 'g'),
    'lemon-juice': unitsOf('lemon-juice', 'ml'),
  };
  return new Map(Object.entries(onHand).map(([id, q]) => [id, { item: items[id]!, onHand: q }]));
}

const plenty = { 'beef-patty': 10_000, 'brioche-bun': 10_000, cheddar: 500_000, 'lemon-juice': 2_000_000 };

describe('auto-86: what stock can no longer make one portion of', () => {
  it('takes off an item when an ingredient is below one portion (its recipe lines summed, converted)', () => {
    const result = menuAvailability([burger, lemonade], stockOf({ ...plenty, cheddar: 29_999 }), new Set());
    expect(result).toEqual({
      takeOff: [{ menuItemId: 'burger', name: 'Cheeseburger', short: [{ ingredientId: 'cheddar', perPortion: 30_000, onHand: 29_999 }] }],
      restore: [],
      unjudged: [],
    });
  });

  it('keeps it on while exactly one portion is left', () => {
    expect(menuAvailability([burger], stockOf({ ...plenty, cheddar: 30_000, 'beef-patty': 1000 }), new Set()).takeOff).toEqual([]);
  });

  it('names every short ingredient, oversold stock included', () => {
    const result = menuAvailability([burger], stockOf({ ...plenty, 'beef-patty': -2000, 'brioche-bun': 999 }), new Set());
    expect(result.takeOff[0]!.short).toEqual([
      { ingredientId: 'beef-patty', perPortion: 1000, onHand: -2000 },
      { ingredientId: 'brioche-bun', perPortion: 1000, onHand: 999 },
    ]);
  });

  it('announces an item once: one inventory already took off is not taken off again', () => {
    expect(menuAvailability([burger], stockOf({ ...plenty, cheddar: 0 }), new Set(['burger']))).toEqual({ takeOff: [], restore: [], unjudged: [] });
  });

  it('never takes off an item without a recipe', () => {
    expect(menuAvailability([water], stockOf({}), new Set())).toEqual({ takeOff: [], restore: [], unjudged: [] });
  });
});

describe('auto-86: what to restore', () => {
  it('restores an item inventory took off once stock covers a portion again (after a receipt)', () => {
    expect(menuAvailability([burger, lemonade], stockOf(plenty), new Set(['burger']))).toEqual({ takeOff: [], restore: ['burger'], unjudged: [] });
  });

  it('restores nothing it did not take off (a manual 86 or a sold-out countdown stays)', () => {
    expect(menuAvailability([burger, lemonade], stockOf(plenty), new Set()).restore).toEqual([]);
  });

  it('keeps an item off while it is still short', () => {
    expect(menuAvailability([burger], stockOf({ ...plenty, 'brioche-bun': 0 }), new Set(['burger'])).restore).toEqual([]);
  });
});

describe('recipes it cannot judge', () => {
  it('an ingredient without a stock item, or a unit that does not convert, is listed and never takes an item off', () => {
    const mojito: MenuRecipe = { menuItemId: 'mojito', name: 'Mojito', recipe: [{ ingredientId: 'mint', quantity: 6, unit: 'g' }] };
    const odd: MenuRecipe = { menuItemId: 'odd', name: 'Odd', recipe: [{ ingredientId: 'lemon-juice', quantity: 1, unit: 'each' }] };
    const result = menuAvailability([mojito, odd], stockOf({ 'lemon-juice': 0 }), new Set());
    expect(result.takeOff).toEqual([]);
    expect(result.unjudged).toEqual([
      { menuItemId: 'mojito', ingredientId: 'mint', reason: 'no stock item' },
      { menuItemId: 'odd', ingredientId: 'lemon-juice', reason: expect.stringContaining('each does not convert for item lemon-juice') },
    ]);
  });

  it('restores an item it took off but can no longer judge', () => {
    const mojito: MenuRecipe = { menuItemId: 'mojito', name: 'Mojito', recipe: [{ ingredientId: 'mint', quantity: 6, unit: 'g' }] };
    expect(menuAvailability([mojito], stockOf({}), new Set(['mojito'])).restore).toEqual(['mojito']);
  });
});

describe('recipesUsing', () => {
  it('keeps the recipes a movement of these ingredients can change', () => {
    expect(recipesUsing([burger, lemonade, water], new Set(['cheddar'])).map((r) => r.menuItemId)).toEqual(['burger']);
    expect(recipesUsing([burger, lemonade, water], new Set(['salt']))).toEqual([]);
  });
});
