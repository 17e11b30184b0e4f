// The stock ledger's rules, pure: what one movement does to an item's on-hand per location and to its cost. The
// ledger is append-only; on-hand is derived from it and written in the movement's transaction (conditional on
// the on-hand read), so the store applies `applyMovement` to what it read and retries on a conflict.
//
//   receive      +quantity at a location, with what it cost; updates the weighted average cost
//   count        the counted quantity replaces on-hand; the difference is booked as variance (unexplained loss, or gain)
//   waste        -quantity with a reason (spoiled, dropped, expired, comped, quarantined; `voided` from a prepared void)
//   transfer     -quantity at one location, +quantity at another
//   sale         -quantity: depletion from an order; may go below zero (the food was sold) and flags the item
//   sale-return  +quantity: an order line removed, or voided before preparation, gives its depletion back
//   adjustment   ±quantity with a reason (a correction a manager makes)
//
// Stock never goes below zero through a movement that lowers it, except a sale and the `voided` waste that
// replaces a sale (the stock left with the order either way). A movement that raises stock is always taken, even
// if on-hand stays below zero after an oversell. An archived item takes no receipt and no count (409); what is
// left of it can still be wasted, moved, sold or adjusted away.
//
// Cost: the weighted average cost of an item is kept in integer minor units per COST_UNIT_QUANTITY milli-base
// units, that is per 1 000 base units (per kg, per litre, per 1 000 each): per gram, a 1.00/kg flour would cost 0
// minor units. On a receipt, average = (value on hand + value received) / (quantity on hand + quantity received),
// rounded half-up to a whole minor unit per 1 000 base units; when the item's total on-hand is zero or below
// (nothing left, or oversold at an unknown cost), the receipt's own cost becomes the average. A movement's value
// is its quantity at that average, rounded half-up to the minor unit (a receipt's value is what it cost).
import { BadRequestError, ConflictError, UnprocessableError } from '#shared/errors';
import { mulDivHalfUp } from '#shared/money';
import { formatQuantity, MAX_QUANTITY, MILLI, type BaseUnit } from './units';

export const MANUAL_WASTE_REASONS = ['spoiled', 'dropped', 'expired', 'comped', 'quarantined'] as const;
/** `voided`: an order voided after preparation; booked by depletion, never by hand. */
export const WASTE_REASONS = [...MANUAL_WASTE_REASONS, 'voided'] as const;
export type WasteReason = (typeof WASTE_REASONS)[number];

export const MOVEMENT_KINDS = ['receive', 'count', 'waste', 'transfer', 'sale', 'sale-return', 'adjustment'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** Average cost is in minor units per this many milli-base units: 1 000 base units. */
export const COST_UNIT_QUANTITY = 1000 * MILLI;

export type Movement =
  | { kind: 'receive'; location: string; quantity: number; cost: number }
  | { kind: 'count'; location: string; counted: number }
  | { kind: 'waste'; location: string; quantity: number; reason: WasteReason }
  | { kind: 'transfer'; from: string; to: string; quantity: number }
  | { kind: 'sale'; location: string; quantity: number }
  | { kind: 'sale-return'; location: string; quantity: number }
  | { kind: 'adjustment'; location: string; delta: number; reason: string };

/** An item's stock as the ledger keeps it: on-hand in milli-base units per location, and its average cost. */
export interface ItemStock {
  itemId: string;
  baseUnit: BaseUnit;
  archived: boolean;
  /** Minor units per COST_UNIT_QUANTITY milli-base units. */
  averageCost: number;
  onHand: Readonly<Record<string, number>>;
}

export interface LocationChange {
  location: string;
  before: number;
  after: number;
}

export interface Applied {
  stock: ItemStock;
  changes: LocationChange[];
  /** The movement's value in minor units: what a receipt cost, otherwise its quantity at the average cost. */
  value: number;
  /** A count's difference, counted - on-hand (negative: unexplained loss); 0 for other movements. */
  variance: number;
  /** Sold below zero: the item is flagged for a count. */
  oversold: boolean;
}

/** Stock that would go below zero: a 409 saying what is there. */
export class NegativeStockError extends ConflictError {
  constructor(itemId: string, location: string, onHand: number, baseUnit: BaseUnit) {
    super(`Only ${formatQuantity(onHand, baseUnit)} of ${itemId} at ${location}`, { itemId, location, onHand });
  }
}

export class ArchivedItemError extends ConflictError {
  constructor(itemId: string, kind: MovementKind) {
    super(`${itemId} is archived; it takes no ${kind}`, { itemId });
  }
}

function assertQuantity(quantity: number, what: string, { zero = false } = {}): void {
  if (!Number.isSafeInteger(quantity) || quantity < (zero ? 0 : 1) || quantity > MAX_QUANTITY) {
    throw new BadRequestError(`${what} must be a whole number of 1/${MILLI} base units from ${zero ? 0 : 1} to ${MAX_QUANTITY}`, { [what]: quantity });
  }
}

/** The value in minor units of `quantity` milli-base units at `averageCost`, half-up. */
export const valueAt = (quantity: number, averageCost: number): number => mulDivHalfUp(Math.abs(quantity), averageCost, COST_UNIT_QUANTITY);

export const totalOnHand = (stock: Pick<ItemStock, 'onHand'>): number => Object.values(stock.onHand).reduce((sum, q) => sum + q, 0);

/** The average after receiving `quantity` that cost `cost`, by the rule in the header. */
export function averageAfterReceipt(stock: ItemStock, quantity: number, cost: number): number {
  const held = totalOnHand(stock);
  const numerator = held > 0 ? BigInt(held) * BigInt(stock.averageCost) + BigInt(cost) * BigInt(COST_UNIT_QUANTITY) : BigInt(cost) * BigInt(COST_UNIT_QUANTITY);
  const denominator = BigInt(held > 0 ? held + quantity : quantity);
  const quotient = numerator / denominator;
  return Number(2n * (numerator - quotient * denominator) >= denominator ? quotient + 1n : quotient);
}

/** Movements that may take stock below zero: what was sold is gone whatever the count said. */
const mayGoNegative = (movement: Movement) => movement.kind === 'sale' || (movement.kind === 'waste' && movement.reason === 'voided');

function deltasOf(movement: Movement, onHandAt: (location: string) => number): Array<[string, number]> {
  switch (movement.kind) {
    case 'receive':
    case 'sale-return':
      return [[movement.location, movement.quantity]];
    case 'waste':
    case 'sale':
      return [[movement.location, -movement.quantity]];
    case 'count':
      return [[movement.location, movement.counted - onHandAt(movement.location)]];
    case 'transfer':
      return [
        [movement.from, -movement.quantity],
        [movement.to, movement.quantity],
      ];
    case 'adjustment':
      return [[movement.location, movement.delta]];
  }
}

function assertWellFormed(movement: Movement): void {
  switch (movement.kind) {
    case 'count':
      return assertQuantity(movement.counted, 'counted', { zero: true });
    case 'receive':
      assertQuantity(movement.quantity, 'quantity');
      if (!Number.isSafeInteger(movement.cost) || movement.cost < 0) throw new BadRequestError('cost must be whole minor units, 0 or more', { cost: movement.cost });
      return;
    case 'adjustment':
      if (movement.delta === 0) throw new BadRequestError('an adjustment changes the quantity');
      return assertQuantity(Math.abs(movement.delta), 'delta');
    case 'transfer':
      assertQuantity(movement.quantity, 'quantity');
      if (movement.from === movement.to) throw new UnprocessableError('A transfer moves stock between two different locations', { location: movement.from });
      return;
    default:
      return assertQuantity(movement.quantity, 'quantity');
  }
}

/** What `movement` does to `stock`: the next stock, the locations it changed, its value; or why it cannot happen. */
export function applyMovement(stock: ItemStock, movement: Movement): Applied {
  assertWellFormed(movement);
  if (stock.archived && (movement.kind === 'count' || movement.kind === 'receive')) throw new ArchivedItemError(stock.itemId, movement.kind);
  const onHandAt = (location: string) => stock.onHand[location] ?? 0;
  const changes = deltasOf(movement, onHandAt).map(([location, delta]) => ({ location, before: onHandAt(location), after: onHandAt(location) + delta }));
  for (const { location, before, after } of changes) {
    if (after < 0 && after < before && !mayGoNegative(movement)) throw new NegativeStockError(stock.itemId, location, before, stock.baseUnit);
    if (Math.abs(after) > MAX_QUANTITY) throw new UnprocessableError(`On-hand of ${stock.itemId} at ${location} would exceed ${MAX_QUANTITY}`, { itemId: stock.itemId });
  }
  const averageCost = movement.kind === 'receive' ? averageAfterReceipt(stock, movement.quantity, movement.cost) : stock.averageCost;
  const onHand = { ...stock.onHand, ...Object.fromEntries(changes.map((c) => [c.location, c.after])) };
  const variance = movement.kind === 'count' ? changes[0]!.after - changes[0]!.before : 0;
  const moved = movement.kind === 'count' ? variance : movement.kind === 'adjustment' ? movement.delta : movement.quantity;
  return {
    stock: { ...stock, averageCost, onHand },
    changes,
    value: movement.kind === 'receive' ? movement.cost : valueAt(moved, stock.averageCost),
    variance,
    oversold: movement.kind === 'sale' && changes[0]!.after < 0,
  };
}

/** Several movements of one item in order (a depletion's sale-return and waste): all apply, or none. */
export function applyMovements(stock: ItemStock, movements: readonly Movement[]): { stock: ItemStock; applied: Applied[] } {
  const applied: Applied[] = [];
  let current = stock;
  for (const movement of movements) {
    const next = applyMovement(current, movement);
    applied.push(next);
    current = next.stock;
  }
  return { stock: current, applied };
}
