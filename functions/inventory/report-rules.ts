// The reports' arithmetic, pure: what a site's stock is worth, what the sales say was used against what left the
// shelf by the ledger and its counts, and what was wasted, from the stock items, their on-hand rows and the
// movements of a date range (read through the byDay index by report-store.ts). Quantities are summed in integer
// milli-base units and shown in the item's base unit; money is integer minor units, summed from the ledger's own
// values (each movement valued at the average cost when it happened, a receipt at what it cost).
//
// Usage of one item over the range (docs/inventory.md has a worked example):
//   theoretical  = sold − returned                        what the recipes of the orders took (sale − sale-return)
//   actual       = opening + received − closing            what left the shelf; closing − opening is the sum of
//                                                          every change the range's movements made (a transfer
//                                                          moves nothing in total), so stock at a location that
//                                                          did not move is on both sides and cancels
//                = theoretical + wasted − adjusted − countVariance
//   variance     = actual − theoretical = wasted − adjusted − countVariance
//   unexplained  = variance − wasted = −adjusted − countVariance    (a count that found less is positive here)
// An item with no count in the range is `counted: false`: its actual is only the book (sales, waste and
// adjustments), nobody looked at the shelf.
import type { MovementKind, WasteReason } from './ledger-rules';
import { valueAt } from './ledger-rules';
import type { ItemRecord, MovementRecord } from './schemas';
import type { OnHandRow } from './stock-store';
import type { BaseUnit } from './units';
import { MILLI } from './units';

/** The longest range a usage or waste report reads: a quarter. */
export const MAX_REPORT_DAYS = 92;

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many dates from `from` to `to`, both included (YYYY-MM-DD). */
export const daysIn = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;

/** The local dates from `from` to `to`, both included (YYYY-MM-DD, from ≤ to). */
export function datesOf(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`); day += DAY_MS) dates.push(new Date(day).toISOString().slice(0, 10));
  return dates;
}

/** What a report line says of its item; an item gone from the table keeps its id as its name. */
export interface ItemLabel {
  itemId: string;
  name: string;
  category: string;
  baseUnit: BaseUnit;
}

const labelOf = (itemId: string, items: ReadonlyMap<string, ItemRecord>): ItemLabel => {
  const item = items.get(itemId);
  return item ? { itemId, name: item.name, category: item.category, baseUnit: item.baseUnit } : { itemId, name: itemId, category: '', baseUnit: 'each' };
};

const byCategoryThenName = (a: ItemLabel, b: ItemLabel) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name) || a.itemId.localeCompare(b.itemId);
const inBaseUnits = (milli: number) => milli / MILLI;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
/** A value with the sign of a quantity (`0 - value`, so a zero is never -0). */
const signed = (quantity: number, value: number) => (quantity < 0 ? 0 - value : value);

// --- on-hand value ---------------------------------------------------------------------------------------------------

export interface ValuedItem extends ItemLabel {
  /** Base units, summed over the item's locations. */
  onHand: number;
  /** Minor units per 1 000 base units. */
  averageCost: number;
  /** Minor units; below zero for stock sold below zero. */
  value: number;
}

export interface OnHandValue {
  items: ValuedItem[];
  categories: Array<{ category: string; items: number; value: number }>;
  totalValue: number;
}

/**
 * What the site's stock is worth now: each item's on-hand, summed over its locations, at its average cost
 * (half-up, signed: an oversold item counts against the total). Archived items appear while stock is left.
 */
export function onHandValue(items: readonly ItemRecord[], rows: readonly OnHandRow[]): OnHandValue {
  const held = new Map<string, number>();
  for (const row of rows) held.set(row.itemId, (held.get(row.itemId) ?? 0) + row.quantity);
  const valued = items
    .filter((item) => !item.archived || (held.get(item.itemId) ?? 0) !== 0)
    .map((item): ValuedItem => {
      const onHand = held.get(item.itemId) ?? 0;
      return {
        itemId: item.itemId,
        name: item.name,
        category: item.category,
        baseUnit: item.baseUnit,
        onHand: inBaseUnits(onHand),
        averageCost: item.averageCost,
        value: signed(onHand, valueAt(onHand, item.averageCost)),
      };
    })
    .sort(byCategoryThenName);
  const categories = new Map<string, { category: string; items: number; value: number }>();
  for (const item of valued) {
    const category = categories.get(item.category) ?? { category: item.category, items: 0, value: 0 };
    categories.set(item.category, { category: item.category, items: category.items + 1, value: category.value + item.value });
  }
  return { items: valued, categories: [...categories.values()], totalValue: sum(valued.map((item) => item.value)) };
}

// --- usage: theoretical vs actual ------------------------------------------------------------------------------------

/** One item's movements of the range, summed: quantities in milli-base units, values in minor units. */
export interface UsageTally {
  sold: number;
  returned: number;
  received: number;
  wasted: number;
  /** Signed: a manager's additions less removals. */
  adjusted: number;
  /** Signed, counted − book: below zero when a count found less than the book said. */
  countVariance: number;
  /** closing − opening: the sum of every change the movements made, over all locations. */
  stockChange: number;
  counts: number;
  soldValue: number;
  returnedValue: number;
  wastedValue: number;
  adjustedValue: number;
  countVarianceValue: number;
}

export const emptyTally = (): UsageTally => ({
  sold: 0,
  returned: 0,
  received: 0,
  wasted: 0,
  adjusted: 0,
  countVariance: 0,
  stockChange: 0,
  counts: 0,
  soldValue: 0,
  returnedValue: 0,
  wastedValue: 0,
  adjustedValue: 0,
  countVarianceValue: 0,
});

/** The movement's signed change over all its locations (a transfer's two changes cancel). */
const netChange = (movement: MovementRecord) => sum(movement.changes.map((change) => change.after - change.before));

/** `tally` with `movement` added (the order of movements does not matter: every field is a sum). */
export function tallyMovement(tally: UsageTally, movement: MovementRecord): UsageTally {
  const change = netChange(movement);
  const next = { ...tally, stockChange: tally.stockChange + change };
  const kind: MovementKind = movement.kind;
  switch (kind) {
    case 'sale':
      return { ...next, sold: next.sold - change, soldValue: next.soldValue + movement.value };
    case 'sale-return':
      return { ...next, returned: next.returned + change, returnedValue: next.returnedValue + movement.value };
    case 'receive':
      return { ...next, received: next.received + change };
    case 'waste':
      return { ...next, wasted: next.wasted - change, wastedValue: next.wastedValue + movement.value };
    case 'adjustment':
      return { ...next, adjusted: next.adjusted + change, adjustedValue: next.adjustedValue + signed(change, movement.value) };
    case 'count':
      return { ...next, counts: next.counts + 1, countVariance: next.countVariance + change, countVarianceValue: next.countVarianceValue + signed(change, movement.value) };
    case 'transfer':
      return next;
  }
}

/** Adds `movement` to its item's tally. */
export function addUsage(tallies: Map<string, UsageTally>, movement: MovementRecord): void {
  tallies.set(movement.itemId, tallyMovement(tallies.get(movement.itemId) ?? emptyTally(), movement));
}

export interface UsageLine extends ItemLabel {
  /** Whether a count in the range measured the shelf; without one, actual is only the book. */
  counted: boolean;
  counts: number;
  // Base units.
  sold: number;
  returned: number;
  theoretical: number;
  received: number;
  stockChange: number;
  actual: number;
  variance: number;
  wasted: number;
  adjusted: number;
  countVariance: number;
  unexplained: number;
  // Minor units.
  theoreticalValue: number;
  actualValue: number;
  varianceValue: number;
  wastedValue: number;
  unexplainedValue: number;
}

export function usageLine(label: ItemLabel, tally: UsageTally): UsageLine {
  const theoretical = tally.sold - tally.returned;
  const actual = tally.received - tally.stockChange;
  const theoreticalValue = tally.soldValue - tally.returnedValue;
  const unexplainedValue = 0 - tally.adjustedValue - tally.countVarianceValue;
  const varianceValue = tally.wastedValue + unexplainedValue;
  return {
    ...label,
    counted: tally.counts > 0,
    counts: tally.counts,
    sold: inBaseUnits(tally.sold),
    returned: inBaseUnits(tally.returned),
    theoretical: inBaseUnits(theoretical),
    received: inBaseUnits(tally.received),
    stockChange: inBaseUnits(tally.stockChange),
    actual: inBaseUnits(actual),
    variance: inBaseUnits(actual - theoretical),
    wasted: inBaseUnits(tally.wasted),
    adjusted: inBaseUnits(tally.adjusted),
    countVariance: inBaseUnits(tally.countVariance),
    unexplained: inBaseUnits(actual - theoretical - tally.wasted),
    theoreticalValue,
    actualValue: theoreticalValue + varianceValue,
    varianceValue,
    wastedValue: tally.wastedValue,
    unexplainedValue,
  };
}

export interface UsageReport {
  items: UsageLine[];
  totals: { theoreticalValue: number; actualValue: number; varianceValue: number; wastedValue: number; unexplainedValue: number };
  /** Items that moved in the range without a count: their actual is only the book. */
  uncounted: string[];
}

export function usageReport(tallies: ReadonlyMap<string, UsageTally>, items: ReadonlyMap<string, ItemRecord>): UsageReport {
  const lines = [...tallies].map(([itemId, tally]) => usageLine(labelOf(itemId, items), tally)).sort(byCategoryThenName);
  const total = (field: keyof UsageReport['totals']) => sum(lines.map((line) => line[field]));
  return {
    items: lines,
    totals: { theoreticalValue: total('theoreticalValue'), actualValue: total('actualValue'), varianceValue: total('varianceValue'), wastedValue: total('wastedValue'), unexplainedValue: total('unexplainedValue') },
    uncounted: lines.filter((line) => !line.counted).map((line) => line.itemId),
  };
}

// --- waste by reason -------------------------------------------------------------------------------------------------

/** Waste of the range per `item|reason`: milli-base units, minor units, and how many movements. */
export type WasteTally = Map<string, { quantity: number; value: number; movements: number }>;

/** Adds `movement` to `tally` when it is waste (a voided order's waste has reason `voided`). */
export function addWaste(tally: WasteTally, movement: MovementRecord): void {
  if (movement.kind !== 'waste') return;
  const key = `${movement.itemId}|${movement.reason ?? 'unspecified'}`;
  const seen = tally.get(key) ?? { quantity: 0, value: 0, movements: 0 };
  tally.set(key, { quantity: seen.quantity - netChange(movement), value: seen.value + movement.value, movements: seen.movements + 1 });
}

export interface WasteLine extends ItemLabel {
  reason: WasteReason | string;
  /** Base units. */
  quantity: number;
  value: number;
  movements: number;
}

export interface WasteReport {
  /** Per reason: value and movements (quantities of different items do not add up). */
  byReason: Array<{ reason: string; value: number; movements: number }>;
  /** Per item: quantity and value, and the same per reason. */
  byItem: Array<ItemLabel & { quantity: number; value: number; byReason: Array<{ reason: string; quantity: number; value: number }> }>;
  /** Per item and reason, as the CSV has them. */
  lines: WasteLine[];
  totalValue: number;
}

const byValueThenReason = <T extends { value: number; reason: string }>(a: T, b: T) => b.value - a.value || a.reason.localeCompare(b.reason);

/** Reasons by value, largest first; items by category and name, each item's reasons by value. */
export function wasteReport(tally: WasteTally, items: ReadonlyMap<string, ItemRecord>): WasteReport {
  const entries = [...tally].map(([key, entry]) => {
    const [itemId = '', reason = ''] = key.split('|');
    return { ...labelOf(itemId, items), reason, ...entry };
  });
  entries.sort((a, b) => byCategoryThenName(a, b) || byValueThenReason(a, b));
  const reasons = new Map<string, { reason: string; value: number; movements: number }>();
  const perItem = new Map<string, ItemLabel & { quantity: number; value: number; byReason: Array<{ reason: string; quantity: number; value: number }> }>();
  for (const { reason, quantity, value, movements, ...label } of entries) {
    const ofReason = reasons.get(reason) ?? { reason, value: 0, movements: 0 };
    reasons.set(reason, { reason, value: ofReason.value + value, movements: ofReason.movements + movements });
    const ofItem = perItem.get(label.itemId) ?? { ...label, quantity: 0, value: 0, byReason: [] };
    perItem.set(label.itemId, { ...ofItem, quantity: ofItem.quantity + quantity, value: ofItem.value + value, byReason: [...ofItem.byReason, { reason, quantity: inBaseUnits(quantity), value }] });
  }
  return {
    byReason: [...reasons.values()].sort(byValueThenReason),
    byItem: [...perItem.values()].map((item) => ({ ...item, quantity: inBaseUnits(item.quantity) })),
    lines: entries.map((entry) => ({ ...entry, quantity: inBaseUnits(entry.quantity) })),
    totalValue: sum(entries.map((entry) => entry.value)),
  };
}
