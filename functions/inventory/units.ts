// Quantities, pure and exact. Every quantity inventory keeps is an integer number of MILLI-base units: a stock
// item is kept in one base unit (g, ml or each) and its quantities are counted in thousandths of it (mg, µl,
// 1/1000 each). That scale is the one orders' recipes carry: a recipe quantity has at most three decimals in
// g, kg, ml, l or each (functions/orders/schemas.ts), so 0.5 g of saffron or a quarter lemon (0.25 each) are whole
// numbers here, and sums and differences never drift.
//
// An item also has the units it is bought and counted in, each defined as an exact multiple of a unit already
// known ("1 bag = 1 kg", "1 case = 6 bag", "1 bottle = 750 ml"). The standard units of the base unit's dimension
// (g and kg for g; ml and l for ml) convert on their own. Another dimension converts only through a unit the item
// defines: "1 each = 55 g" lets a recipe say 2 each of an item kept in grams; without it, each ↔ g is a
// UnitConversionError naming the item (422 in a handler, listed for the manager in an event consumer).
import { UnprocessableError } from '#shared/errors';

export const BASE_UNITS = ['g', 'ml', 'each'] as const;
export type BaseUnit = (typeof BASE_UNITS)[number];

/** The units a recipe may use (the orders contract's `unitSchema`). */
export const STANDARD_UNITS = ['g', 'kg', 'ml', 'l', 'each'] as const;
export type StandardUnit = (typeof STANDARD_UNITS)[number];

/** Milli-units per base unit: quantities are integers at this scale. */
export const MILLI = 1000;
/** The largest quantity kept: 10 000 tonnes in mg, far above any kitchen, and exact in a double. */
export const MAX_QUANTITY = 10_000_000_000_000;

const STANDARD: Record<StandardUnit, { base: BaseUnit; milli: number }> = {
  g: { base: 'g', milli: MILLI },
  kg: { base: 'g', milli: MILLI * 1000 },
  ml: { base: 'ml', milli: MILLI },
  l: { base: 'ml', milli: MILLI * 1000 },
  each: { base: 'each', milli: MILLI },
};

const isStandard = (unit: string): unit is StandardUnit => Object.hasOwn(STANDARD, unit);

/** "1 `name` = `quantity` `unit`": `unit` is a standard unit or another unit the item defines. */
export interface UnitDefinition {
  name: string;
  quantity: number;
  unit: string;
}

/** What conversion needs to know of a stock item. */
export interface ItemUnits {
  itemId: string;
  baseUnit: BaseUnit;
  units: readonly UnitDefinition[];
}

/** A unit that does not convert to the item's base unit: a 422 naming the item. */
export class UnitConversionError extends UnprocessableError {
  constructor(
    readonly itemId: string,
    readonly unit: string,
    reason: string,
  ) {
    super(`${unit} does not convert for item ${itemId}: ${reason}`, { itemId, unit });
  }
}

/** A quantity finer than the scale (more than three decimals, or under one milli-base unit) or beyond MAX_QUANTITY: a 422. */
export class InexactQuantityError extends UnprocessableError {
  constructor(readonly quantity: number) {
    super(`${quantity} cannot be kept exactly: a quantity has at most 3 decimals and lies from 1/${MILLI} base unit to ${MAX_QUANTITY / MILLI} base units`, { quantity });
  }
}

/** A decimal with at most three decimals as integer thousandths, exactly; anything finer is refused. */
export function toThousandths(quantity: number): number {
  const thousandths = Math.round(quantity * MILLI);
  if (!Number.isFinite(quantity) || quantity < 0 || Math.abs(quantity * MILLI - thousandths) > 1e-6 || thousandths > MAX_QUANTITY) {
    throw new InexactQuantityError(quantity);
  }
  return thousandths;
}

/**
 * Milli-base units in one `unit` of the item. A definition's quantity is exact to three decimals, and the size it
 * gives must be a whole number of milli-base units ("1 pinch = 0.0001 g" is refused: below the scale).
 */
export function unitSize(item: ItemUnits, unit: string, seen: ReadonlySet<string> = new Set()): number {
  if (isStandard(unit) && STANDARD[unit].base === item.baseUnit) return STANDARD[unit].milli;
  const definition = item.units.find((u) => u.name === unit);
  if (!definition) {
    const why = isStandard(unit) ? `the item is kept in ${item.baseUnit} and defines no ${unit}` : 'the item defines no such unit';
    throw new UnitConversionError(item.itemId, unit, why);
  }
  if (seen.has(unit)) throw new UnitConversionError(item.itemId, unit, 'its definition refers back to itself');
  const inner = unitSize(item, definition.unit, new Set([...seen, unit]));
  const product = BigInt(toThousandths(definition.quantity)) * BigInt(inner);
  const size = product / BigInt(MILLI);
  if (product % BigInt(MILLI) !== 0n || size === 0n) throw new UnitConversionError(item.itemId, unit, `it is not a whole number of 1/${MILLI} ${item.baseUnit}`);
  if (size > BigInt(MAX_QUANTITY)) throw new UnitConversionError(item.itemId, unit, 'it is larger than any quantity kept');
  return Number(size);
}

/**
 * `quantity` `unit` of the item in milli-base units. Exact whenever the unit is a whole number of base units (every
 * standard unit, "1 bottle = 750 ml"); with a unit holding a fraction of a base unit ("1 each = 0.35 g") a
 * three-decimal quantity of it can land below the scale, and rounds half-up to one milli-base unit.
 */
export function toBaseQuantity(item: ItemUnits, quantity: number, unit: string): number {
  const product = BigInt(toThousandths(quantity)) * BigInt(unitSize(item, unit));
  const rounded = (product + BigInt(MILLI / 2)) / BigInt(MILLI);
  // Rounding to nothing would let a recipe take stock without moving it: below the scale is refused.
  if (rounded > BigInt(MAX_QUANTITY) || (rounded === 0n && quantity > 0)) throw new InexactQuantityError(quantity);
  return Number(rounded);
}

/** Every unit the item defines converts (no cycle, no unknown unit, nothing below the scale): throws the first that does not. */
export function assertUnitsConvert(item: ItemUnits): void {
  const names = item.units.map((u) => u.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new UnitConversionError(item.itemId, twice, 'it is defined twice');
  for (const { name } of item.units) {
    if (isStandard(name) && STANDARD[name].base === item.baseUnit) {
      throw new UnitConversionError(item.itemId, name, `it is a standard unit of ${item.baseUnit} and cannot be redefined`);
    }
    unitSize(item, name);
  }
}

/** A quantity in milli-base units written in its base unit, for messages: 1 500 250 → "1500.25 g". */
export function formatQuantity(milli: number, baseUnit: BaseUnit): string {
  const sign = milli < 0 ? '-' : '';
  const whole = Math.floor(Math.abs(milli) / MILLI);
  const fraction = String(Math.abs(milli) % MILLI).padStart(3, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''} ${baseUnit}`;
}
