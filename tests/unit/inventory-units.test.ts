import { HttpError } from '#shared/errors';
import {
  assertUnitsConvert,
  formatQuantity,
  InexactQuantityError,
  MAX_QUANTITY,
  STANDARD_UNITS,
  toBaseQuantity,
  toThousandths,
  unitSize,
  UnitConversionError,
  type BaseUnit,
  type ItemUnits,
} from '../../functions/inventory/units';
import { unitSchema } from '../../functions/shared/contracts/values';

/** An item with its units written "name = quantity unit". */
const itemOf = (itemId: string, baseUnit: BaseUnit, ...units: Array<[string, number, string]>): ItemUnits => ({
  itemId,
  baseUnit,
  units: units.map(([name, quantity, unit]) => ({ name, quantity, unit })),
});
const flour = itemOf('flour', 'g', ['bag', 1, 'kg'], ['case', 6, 'bag']);
const oil = itemOf('olive-oil', 'ml', ['bottle', 750, 'ml']);
const eggs = itemOf('eggs', 'each', ['tray', 30, 'each']);
const onions = itemOf('onion', 'g', ['each', 150, 'g']);

function conversionError(run: () => unknown): UnitConversionError {
  try {
    run();
  } catch (error) {
    if (error instanceof UnitConversionError) return error;
    throw error;
  }
  throw new Error('expected a UnitConversionError');
}

describe('the scale: integer thousandths of a base unit', () => {
  it('reads a three-decimal quantity exactly, whatever its float', () => {
    expect(toThousandths(0.3)).toBe(300);
    expect(toThousandths(0.1 + 0.2)).toBe(300);
    expect(toThousandths(1.005)).toBe(1005);
    expect(toThousandths(0.001)).toBe(1);
    expect(toThousandths(0)).toBe(0);
  });

  it.each([0.0005, 1.0001, -1, Number.NaN, Number.POSITIVE_INFINITY, MAX_QUANTITY])('refuses %p', (quantity) => {
    expect(() => toThousandths(quantity)).toThrow(InexactQuantityError);
  });

  it('covers every unit a recipe may use (the orders contract)', () => {
    expect([...STANDARD_UNITS]).toEqual(unitSchema.options);
  });
});

describe('standard units', () => {
  it.each([
    [flour, 1, 'g', 1000],
    [flour, 0.5, 'g', 500],
    [flour, 30, 'g', 30_000],
    [flour, 1.5, 'kg', 1_500_000],
    [flour, 0.001, 'kg', 1000],
    [oil, 60, 'ml', 60_000],
    [oil, 0.75, 'l', 750_000],
    [eggs, 2, 'each', 2000],
    [eggs, 0.25, 'each', 250],
  ] as const)('%# %p %s', (item, quantity, unit, milli) => {
    expect(toBaseQuantity(item, quantity, unit)).toBe(milli);
  });

  it('sums without drift: thirty 0.1 kg are 3 kg', () => {
    const tenth = toBaseQuantity(flour, 0.1, 'kg');
    expect(Array.from({ length: 30 }, () => tenth).reduce((a, b) => a + b, 0)).toBe(toBaseQuantity(flour, 3, 'kg'));
  });
});

describe('units an item defines', () => {
  it('converts packs exactly: 1 case = 6 × 1 kg bag, 1 bottle = 750 ml, 1 tray = 30 each', () => {
    expect(unitSize(flour, 'bag')).toBe(1_000_000);
    expect(unitSize(flour, 'case')).toBe(6_000_000);
    expect(toBaseQuantity(flour, 2, 'case')).toBe(12_000_000);
    expect(toBaseQuantity(flour, 1.5, 'case')).toBe(9_000_000);
    expect(toBaseQuantity(oil, 3, 'bottle')).toBe(2_250_000);
    expect(toBaseQuantity(eggs, 2, 'tray')).toBe(60_000);
  });

  it('converts across dimensions only through a unit the item defines', () => {
    expect(toBaseQuantity(onions, 2, 'each')).toBe(300_000);
    expect(toBaseQuantity(onions, 0.5, 'kg')).toBe(500_000);
  });

  it('rounds a product below the scale half-up, and refuses one that rounds to nothing', () => {
    const saffron = itemOf('saffron', 'g', ['each', 0.035, 'g']);
    expect(unitSize(saffron, 'each')).toBe(35);
    expect(toBaseQuantity(saffron, 0.5, 'each')).toBe(18); // 17.5 → 18
    expect(toBaseQuantity(saffron, 0.1, 'each')).toBe(4); // 3.5 → 4
    expect(() => toBaseQuantity(saffron, 0.001, 'each')).toThrow(InexactQuantityError);
  });
});

describe('units that do not convert: a 422 naming the item', () => {
  it.each([
    [eggs, 'kg', /kg does not convert for item eggs: the item is kept in each and defines no kg/],
    [flour, 'each', /each does not convert for item flour: the item is kept in g and defines no each/],
    [oil, 'g', /g does not convert for item olive-oil/],
    [flour, 'ml', /ml does not convert for item flour/],
    [flour, 'crate', /crate does not convert for item flour: the item defines no such unit/],
  ] as const)('%#: %s', (item, unit, message) => {
    const error = conversionError(() => toBaseQuantity(item, 1, unit));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.statusCode).toBe(422);
    expect(error.message).toMatch(message);
    expect(error.details).toEqual({ itemId: item.itemId, unit });
  });

  it('refuses a definition that refers back to itself', () => {
    const looped = itemOf('x', 'g', ['a', 2, 'b'], ['b', 3, 'a']);
    expect(conversionError(() => unitSize(looped, 'a')).message).toMatch(/refers back to itself/);
  });

  it('refuses a unit that is not a whole number of milli-base units', () => {
    const tiny = itemOf('salt', 'g', ['speck', 0.001, 'g'], ['grain', 0.5, 'speck']);
    expect(unitSize(tiny, 'speck')).toBe(1);
    expect(conversionError(() => unitSize(tiny, 'grain')).message).toMatch(/not a whole number of 1\/1000 g/);
  });

  it('refuses a unit larger than any quantity kept', () => {
    const huge = itemOf('water', 'ml', ['lake', 1_000_000, 'tank'], ['tank', 1_000_000, 'l']);
    expect(conversionError(() => unitSize(huge, 'lake')).message).toMatch(/larger than any quantity/);
  });
});

describe('assertUnitsConvert', () => {
  it('accepts items whose every unit converts', () => {
    for (const item of [flour, oil, eggs, onions]) expect(() => assertUnitsConvert(item)).not.toThrow();
  });

  it('refuses a unit defined twice, a standard unit redefined, and a definition that does not resolve', () => {
    expect(conversionError(() => assertUnitsConvert({ ...oil, units: [...oil.units, { name: 'bottle', quantity: 1, unit: 'l' }] })).message).toMatch(/defined twice/);
    expect(conversionError(() => assertUnitsConvert({ ...flour, units: [{ name: 'kg', quantity: 900, unit: 'g' }] })).message).toMatch(/cannot be redefined/);
    expect(conversionError(() => assertUnitsConvert({ ...flour, units: [{ name: 'sack', quantity: 25, unit: 'lb' }] })).unit).toBe('lb');
  });
});

describe('formatQuantity', () => {
  it.each([
    [1_500, 'g', '1.5 g'],
    [3_000, 'g', '3 g'],
    [250, 'each', '0.25 each'],
    [-1_250, 'ml', '-1.25 ml'],
    [0, 'g', '0 g'],
  ] as const)('%p %s → %s', (milli, unit, text) => {
    expect(formatQuantity(milli, unit)).toBe(text);
  });
});
