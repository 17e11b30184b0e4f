// The demo menu and stock in the shapes the analytics history needs (analytics-history.ts): the menu items with
// their category and recipe, as records for menu.item-changed, and every stock item's average cost (its pack cost
// over the pack's base units, per 1 000 base units, as inventory keeps it).
import type { MenuItemRecord } from '../../functions/orders/schemas';
import { toBaseQuantity } from '../../functions/inventory/units';
import { mulDivHalfUp } from '../../functions/shared/money';
import type { HistoryMenuItem, HistoryStockItem } from './analytics-history';
import { STOCK } from './inventory';
import { CATEGORIES, ITEMS } from './menu';

export function demoHistoryMenu() {
  const at = '2026-01-01T00:00:00.000Z';
  const records: MenuItemRecord[] = ITEMS.map((item) => ({ siteId: 'demo', modifiers: [], recipe: [], ...item, active: true, eightySixed: false, createdAt: at, updatedAt: at, version: 1 }));
  const items: HistoryMenuItem[] = records.map((record) => ({
    itemId: record.itemId,
    categoryId: record.categoryId,
    name: record.name,
    price: record.price,
    taxRate: record.taxRate,
    station: record.station,
    recipe: record.recipe.map(({ ingredientId, quantity, unit }) => ({ ingredientId, quantity, unit })),
  }));
  return { records, items, categories: CATEGORIES.map(({ categoryId, name }) => ({ categoryId, name })) };
}

export function demoHistoryStock(): HistoryStockItem[] {
  return STOCK.map((item) => {
    // toBaseQuantity answers in thousandths of the base unit (inventory's exact scale).
    const packThousandths = toBaseQuantity({ itemId: item.itemId, baseUnit: item.baseUnit, units: item.units }, 1, item.pack);
    return { itemId: item.itemId, name: item.name, unit: item.baseUnit, averageCost: mulDivHalfUp(item.packCost, 1_000_000, packThousandths), location: item.location };
  });
}
