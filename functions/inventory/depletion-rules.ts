// Depletion from orders, pure: what an orders event takes from stock. Every order line carries its recipe
// consumption for the whole line (item and modifiers × portions, in g/kg/ml/l/each: the orders contract), so
// inventory never reads the menu to deplete. Stock goes when the order is placed, so that a void can give it back:
//
//   order.placed, order.paid   a snapshot of the lines: a line not seen before is depleted; a line depleted
//                              before and absent from a snapshot at least as new as the line was removed
//   order.line-added           the line is depleted
//   order.line-removed         its depletion is given back (sale-return); lines change only while the order is open
//   order.voided               per line: not prepared → given back; prepared → the sale becomes waste (`voided`)
//   payment.refunded           nothing: refunded food was served, it never comes back (not subscribed)
//
// A line is prepared when the kitchen fired or finished it, or the order had reached `preparing` or later
// (a kitchen that does not mark lines still cooked them): only a pending line of an open or sent order restores.
//
// Delivery is at least once and unordered. The order's depletion record (`OrderDepletion`) keeps, per line, what
// it took and the order version it was first seen at, and the keys of the events applied; the store writes it
// with the movements in one transaction, conditional on the record read. A replayed event finds its key and does
// nothing; an event arriving late finds its lines already known (a removed line is kept as a tombstone, since
// line ids are never reused in an order); a snapshot older than a line cannot have seen it, so its absence
// there proves nothing. After the void, the order's stock is settled: later events change nothing.
//
// What cannot be depleted is listed for the manager, never dropped silently: a line without a recipe (its menu
// item has none), an ingredient with no stock item, and a quantity whose unit does not convert for its item.
import type { EventData, EventOfAny } from '#shared/contracts';
import { InexactQuantityError, toBaseQuantity, UnitConversionError, type ItemUnits } from './units';

export const DEPLETING_EVENTS = ['order.placed', 'order.line-added', 'order.line-removed', 'order.paid', 'order.voided'] as const;
export type DepletingEvent = EventOfAny<(typeof DEPLETING_EVENTS)[number]>;
type OrderLineData = EventData<'order.placed'>['lines'][number];
type OrderStatusData = EventData<'order.voided'>['from'];

/** A stock item as depletion needs it: its units, and the location sales take it from. */
export interface DepletableItem extends ItemUnits {
  depleteFrom: string;
}

export interface Taken {
  itemId: string;
  location: string;
  quantity: number;
}

export interface LineDepletion {
  /** The order version the line was first seen at: it existed in every snapshot from then until removed. */
  seenAt: number;
  status: 'depleted' | 'removed' | 'voided';
  /** What it took, in milli-base units: given back exactly, whatever the recipe or units say later. */
  taken: Taken[];
}

export interface OrderDepletion {
  orderId: string;
  lines: Record<string, LineDepletion>;
  /** The version of the void: the order's stock is settled. */
  voidedAt?: number;
  /** Keys (`depletionKey`) of the events applied. */
  applied: string[];
}

export interface DepletionMovement {
  kind: 'sale' | 'sale-return' | 'waste';
  itemId: string;
  location: string;
  quantity: number;
  /** `voided` on the waste of a prepared void. */
  reason?: 'voided';
  lineIds: string[];
}

export interface Unresolved {
  missingRecipes: Array<{ menuItemId: string; name: string; lineId: string }>;
  unknownIngredients: Array<{ ingredientId: string; lineIds: string[] }>;
  unconvertible: Array<{ ingredientId: string; unit: string; lineId: string; message: string }>;
}

export interface Depletion {
  key: string;
  /** The event was applied before: nothing to write. */
  replay: boolean;
  state: OrderDepletion;
  /** Per (kind, item, location), summed over lines, in the order: sale, sale-return, waste. */
  movements: DepletionMovement[];
  unresolved: Unresolved;
}

/** The idempotency key of an orders event: one change of one order (a change's events share the version, not the type). */
export const depletionKey = (orderId: string, type: string, version: number) => `${orderId}#${type}#${version}`;

/** A movement's id, from its event's key: the same decision names the same movements (and events) however often it is written. */
export const movementIdOf = (key: string, move: Pick<DepletionMovement, 'kind' | 'itemId' | 'location'>) =>
  `${key.replaceAll('#', '.')}.${move.kind}.${move.itemId}.${move.location}`;

const PREPARED_ORDER_STATUSES: readonly OrderStatusData[] = ['preparing', 'ready', 'served'];

export const isPrepared = (line: Pick<OrderLineData, 'status'>, orderStatusBefore: OrderStatusData) =>
  line.status !== 'pending' || PREPARED_ORDER_STATUSES.includes(orderStatusBefore);

export function emptyDepletion(orderId: string): OrderDepletion {
  return { orderId, lines: {}, applied: [] };
}

interface Draft {
  lines: Record<string, LineDepletion>;
  voidedAt?: number;
  moves: Array<Omit<DepletionMovement, 'lineIds'> & { lineId: string }>;
  unresolved: Unresolved;
}

function take(draft: Draft, line: OrderLineData, items: ReadonlyMap<string, DepletableItem>): Taken[] {
  if (line.consumption.length === 0) draft.unresolved.missingRecipes.push({ menuItemId: line.itemId, name: line.name, lineId: line.lineId });
  const taken: Taken[] = [];
  for (const { ingredientId, quantity, unit } of line.consumption) {
    const item = items.get(ingredientId);
    if (!item) {
      const known = draft.unresolved.unknownIngredients.find((u) => u.ingredientId === ingredientId);
      if (known) known.lineIds.push(line.lineId);
      else draft.unresolved.unknownIngredients.push({ ingredientId, lineIds: [line.lineId] });
      continue;
    }
    try {
      taken.push({ itemId: item.itemId, location: item.depleteFrom, quantity: toBaseQuantity(item, quantity, unit) });
    } catch (error) {
      if (!(error instanceof UnitConversionError || error instanceof InexactQuantityError)) throw error;
      draft.unresolved.unconvertible.push({ ingredientId, unit, lineId: line.lineId, message: error.message });
    }
  }
  return taken;
}

function book(draft: Draft, lineId: string, taken: readonly Taken[], kind: DepletionMovement['kind']): void {
  for (const t of taken) draft.moves.push({ kind, ...t, ...(kind === 'waste' ? { reason: 'voided' as const } : {}), lineId });
}

function depleteLine(draft: Draft, line: OrderLineData, version: number, items: ReadonlyMap<string, DepletableItem>): void {
  const taken = take(draft, line, items);
  book(draft, line.lineId, taken, 'sale');
  draft.lines[line.lineId] = { seenAt: version, status: 'depleted', taken };
}

function restoreLine(draft: Draft, lineId: string): void {
  const line = draft.lines[lineId]!;
  book(draft, lineId, line.taken, 'sale-return');
  draft.lines[lineId] = { ...line, status: 'removed' };
}

function applySnapshot(draft: Draft, lines: readonly OrderLineData[], version: number, items: ReadonlyMap<string, DepletableItem>): void {
  for (const line of lines) if (!draft.lines[line.lineId]) depleteLine(draft, line, version, items);
  const present = new Set(lines.map((l) => l.lineId));
  for (const [lineId, known] of Object.entries(draft.lines)) {
    if (known.status === 'depleted' && !present.has(lineId) && known.seenAt <= version) restoreLine(draft, lineId);
  }
}

function applyVoid(draft: Draft, event: EventOfAny<'order.voided'>, items: ReadonlyMap<string, DepletableItem>): void {
  const { lines, from, version } = event.data;
  for (const line of lines) {
    const known = draft.lines[line.lineId];
    if (known && known.status !== 'depleted') continue;
    const prepared = isPrepared(line, from);
    // A line never depleted (its event is still on the way) was never counted as sold: only its waste is booked.
    const taken = known ? known.taken : prepared ? take(draft, line, items) : [];
    if (known) book(draft, line.lineId, taken, 'sale-return');
    if (prepared) book(draft, line.lineId, taken, 'waste');
    draft.lines[line.lineId] = { seenAt: known?.seenAt ?? version, status: 'voided', taken };
  }
  const present = new Set(lines.map((l) => l.lineId));
  for (const [lineId, known] of Object.entries(draft.lines)) if (known.status === 'depleted' && !present.has(lineId)) restoreLine(draft, lineId);
  draft.voidedAt = version;
}

function apply(draft: Draft, event: DepletingEvent, items: ReadonlyMap<string, DepletableItem>): void {
  if (draft.voidedAt !== undefined) return;
  switch (event.type) {
    case 'order.placed':
    case 'order.paid':
      return applySnapshot(draft, event.data.lines, event.data.version, items);
    case 'order.line-added':
      if (!draft.lines[event.data.line.lineId]) depleteLine(draft, event.data.line, event.data.version, items);
      return;
    case 'order.line-removed': {
      const { line, version } = event.data;
      const known = draft.lines[line.lineId];
      if (!known) draft.lines[line.lineId] = { seenAt: version, status: 'removed', taken: [] };
      else if (known.status === 'depleted') restoreLine(draft, line.lineId);
      return;
    }
    case 'order.voided':
      return applyVoid(draft, event, items);
  }
}

const KIND_ORDER: Record<DepletionMovement['kind'], number> = { sale: 0, 'sale-return': 1, waste: 2 };

/** The moves summed per (kind, item, location): one ledger movement each, naming the lines. */
function merged(moves: Draft['moves']): DepletionMovement[] {
  const byKey = new Map<string, DepletionMovement>();
  for (const { lineId, ...move } of moves) {
    const key = `${move.kind}|${move.itemId}|${move.location}`;
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, { ...move, lineIds: [lineId] });
    else {
      existing.quantity += move.quantity;
      if (!existing.lineIds.includes(lineId)) existing.lineIds.push(lineId);
    }
  }
  return [...byKey.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.itemId.localeCompare(b.itemId) || a.location.localeCompare(b.location));
}

/** What `event` does to the order's stock, given what earlier events of the order did (`state`, undefined for none). */
export function deplete(state: OrderDepletion | undefined, event: DepletingEvent, items: ReadonlyMap<string, DepletableItem>): Depletion {
  const current = state ?? emptyDepletion(event.data.orderId);
  const key = depletionKey(event.data.orderId, event.type, event.data.version);
  const unresolved: Unresolved = { missingRecipes: [], unknownIngredients: [], unconvertible: [] };
  if (current.applied.includes(key)) return { key, replay: true, state: current, movements: [], unresolved };
  const draft: Draft = { lines: { ...current.lines }, ...(current.voidedAt === undefined ? {} : { voidedAt: current.voidedAt }), moves: [], unresolved };
  apply(draft, event, items);
  const next: OrderDepletion = {
    orderId: current.orderId,
    lines: draft.lines,
    ...(draft.voidedAt === undefined ? {} : { voidedAt: draft.voidedAt }),
    applied: [...current.applied, key],
  };
  return { key, replay: false, state: next, movements: merged(draft.moves), unresolved };
}
