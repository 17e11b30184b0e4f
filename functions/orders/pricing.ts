// Pricing, pure, on the integer money arithmetic of #shared/money. The rounding rule (docs/orders.md):
//   - a line's amount is (item price + modifier deltas) × quantity: exact, nothing to round;
//   - a percent discount is the subtotal × rate, rounded half-up to the minor unit; an amount discount is
//     capped at the subtotal;
//   - the order discount is spread over the lines in proportion to their amounts by the largest-remainder
//     method (ties to the earlier line), so the shares add up to the discount exactly;
//   - tax is computed per line, on the line amount minus its discount share, at the exact rate (a decimal
//     string, taken as integer parts per million), rounded half-up (amounts are never negative, so half-up is
//     half away from zero);
//   - an even split gives each check due ÷ parts, the first (due mod parts) checks one unit more.
import { UnprocessableError } from '#shared/errors';
import { allocate, mulDivHalfUp, ratePpm } from '#shared/money';
import type { Consumption, Discount, LineInput, MenuItemRecord, OrderLine, OrderRecord, Totals } from './schemas';

const MILLI = 1000;

/**
 * A line priced from the menu item as it is now: the client sends ids and quantities, never prices. The line keeps
 * the item's category, with its name as it is now when known (`categoryName`).
 */
export function priceLine(item: MenuItemRecord, input: LineInput, lineId: string, categoryName?: string): OrderLine {
  const modifiers = input.modifierIds.map((modifierId) => {
    const modifier = item.modifiers.find((m) => m.modifierId === modifierId);
    if (!modifier) throw new UnprocessableError(`${item.name} has no modifier ${modifierId}`, { itemId: item.itemId, modifierId });
    return modifier;
  });
  const groups = modifiers.flatMap((m) => (m.group ? [m.group] : []));
  const repeated = groups.find((group, i) => groups.indexOf(group) !== i);
  if (repeated) throw new UnprocessableError(`Choose one ${repeated} for ${item.name}`, { itemId: item.itemId, group: repeated });
  const unitPrice = modifiers.reduce((price, m) => price + m.priceDelta, item.price);
  if (unitPrice < 0) throw new UnprocessableError(`The modifiers take ${item.name} below zero`, { itemId: item.itemId });
  return {
    lineId,
    itemId: item.itemId,
    name: item.name,
    categoryId: item.categoryId,
    ...(categoryName !== undefined ? { categoryName } : {}),
    station: item.station,
    quantity: input.quantity,
    modifiers: modifiers.map(({ modifierId, name, priceDelta }) => ({ modifierId, name, priceDelta })),
    unitPrice,
    amount: unitPrice * input.quantity,
    taxRate: item.taxRate,
    discount: 0,
    tax: 0,
    ...(input.notes ? { notes: input.notes } : {}),
    status: 'pending',
    consumption: consumptionOf([item.recipe, ...modifiers.map((m) => m.recipe)], input.quantity),
  };
}

/** Recipe quantities of item and modifiers, merged per ingredient and unit, times the line quantity. */
export function consumptionOf(recipes: ReadonlyArray<readonly Consumption[]>, quantity: number): Consumption[] {
  const merged = new Map<string, Consumption & { milli: number }>();
  for (const component of recipes.flat()) {
    const key = `${component.ingredientId}/${component.unit}`;
    const milli = Math.round(component.quantity * MILLI);
    const existing = merged.get(key);
    if (existing) existing.milli += milli;
    else merged.set(key, { ...component, milli });
  }
  return [...merged.values()].map(({ ingredientId, unit, milli }) => ({ ingredientId, unit, quantity: (milli * quantity) / MILLI }));
}

export function discountAmount(discount: Discount | undefined, subtotal: number): number {
  if (!discount) return 0;
  if (discount.type === 'amount') return Math.min(discount.amount, subtotal);
  return mulDivHalfUp(subtotal, discount.percentBps, 10_000);
}

/** Lines with their discount share and tax, and the bill before payments. */
export function computeBill(lines: readonly OrderLine[], discount: Discount | undefined) {
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discountTotal = discountAmount(discount, subtotal);
  const shares = allocate(discountTotal, lines.map((line) => line.amount));
  const priced = lines.map((line, i) => {
    const share = shares[i]!;
    return { ...line, discount: share, tax: mulDivHalfUp(line.amount - share, ratePpm(line.taxRate), 1_000_000) };
  });
  const tax = priced.reduce((sum, line) => sum + line.tax, 0);
  return { lines: priced, subtotal, discount: discountTotal, tax, due: subtotal - discountTotal + tax };
}

/** What one line contributes to the amount due. */
export const lineDue = (line: Pick<OrderLine, 'amount' | 'discount' | 'tax'>) => line.amount - line.discount + line.tax;

/** Recomputes every derived figure of the order: line discounts and taxes, then the totals. */
export function withTotals(order: OrderRecord): OrderRecord {
  const bill = computeBill(order.lines, order.discount);
  const tip = order.payments.reduce((sum, p) => sum + p.tip, 0);
  const paid = order.payments.reduce((sum, p) => sum + p.amount + p.tip, 0);
  const refunded = order.refunds.filter((r) => r.status === 'completed').reduce((sum, r) => sum + r.amount, 0);
  const total = bill.due + tip;
  const totals: Totals = { subtotal: bill.subtotal, discount: bill.discount, tax: bill.tax, tip, total, paid, refunded, balance: total - (paid - refunded) };
  return { ...order, lines: bill.lines, totals };
}
