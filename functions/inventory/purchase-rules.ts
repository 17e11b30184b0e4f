// Purchase orders, pure: automatic drafts per supplier, the PO's state machine, and receiving against it.
// Quantities are milli-base units (units.ts), money integer minor units; a supplier sells an item in one pack
// (its case: "1 case = 6 bag = 6 kg") at a price per pack.
//
//   draft ──approve──▶ approved ──send──▶ sent ──receive──▶ partially-received ──receive the rest──▶ received
//     │                   │                │                        └──────────close short──────────▶ received
//     └───────────────────┴────cancel──────┴──▶ cancelled
//
// A manager edits lines only in draft. Once goods have come, the PO is not cancelled: what came is on the books;
// closing it short says the rest will not come. Each change bumps `version`; the store writes it conditional on
// the version read, so of two concurrent receipts one wins and the other is a 409 to retry on the new state.
//
// Draft: per item the supplier sells, fill to par: par - on-hand - already on order, rounded up to whole packs.
// If the total is under the supplier's minimum order value, whole packs are added one at a time to the item
// least covered relative to its par ((on-hand + on order + drafted) / par, compared exactly); a tie goes to the
// cheaper pack (the minimum is overshot by less), then to the lower item id. Items without a par are never added.
// At most MAX_TOP_UP_PACKS packs are added: a minimum that needs more is flagged `belowMinimum` for the manager.
//
// Receiving: each receipt line names the PO line, the packs that came and the invoice price per pack, and may
// name a substitute (another item, with its own pack) delivered instead; it books one receive movement at the
// invoice cost. Price differences and substitutions are flagged for the clerk. Receiving more than ordered is
// taken and flagged `over-received`: the goods are on the shelf, and refusing them would keep real stock off the
// books until a count found it as an unexplained gain at no cost (skewing the average cost and the variance);
// the flag lets the clerk accept it or dispute the invoice.
import { ConflictError, UnprocessableError } from '#shared/errors';

export const PO_STATUSES = ['draft', 'approved', 'sent', 'partially-received', 'received', 'cancelled'] as const;
export type PoStatus = (typeof PO_STATUSES)[number];
export type PoAction = 'approve' | 'send' | 'cancel' | 'close-short';

const TRANSITIONS: Record<PoAction, { from: readonly PoStatus[]; to: PoStatus }> = {
  approve: { from: ['draft'], to: 'approved' },
  send: { from: ['approved'], to: 'sent' },
  cancel: { from: ['draft', 'approved', 'sent'], to: 'cancelled' },
  'close-short': { from: ['partially-received'], to: 'received' },
};

/** The packs the minimum-order top-up may add to one draft. */
export const MAX_TOP_UP_PACKS = 500;

/** An item as a supplier sells it. */
export interface Offer {
  itemId: string;
  packUnit: string;
  /** Milli-base units in one pack. */
  packSize: number;
  /** Minor units per pack. */
  packPrice: number;
}

/** Where an item stands: totals over the site's locations, milli-base units; par 0 means not stocked to a par. */
export interface StockPosition {
  itemId: string;
  onHand: number;
  onOrder: number;
  par: number;
}

export interface PoLine extends Offer {
  lineId: string;
  packs: number;
  receivedPacks: number;
  /** Minor units booked by receipts against the line. */
  receivedCost: number;
}

export interface PurchaseOrder {
  purchaseOrderId: string;
  supplierId: string;
  status: PoStatus;
  lines: PoLine[];
  /** Ordered value, minor units: Σ packs × pack price. */
  total: number;
  version: number;
  shortClosed?: boolean;
}

export interface Draft {
  lines: Array<Offer & { packs: number }>;
  total: number;
  /** The minimum order value could not be reached (see the header). */
  belowMinimum: boolean;
}

const ceilDiv = (a: number, b: number) => Math.floor((a + b - 1) / b);
const orderValue = (lines: ReadonlyArray<{ packs: number; packPrice: number }>) => lines.reduce((sum, l) => sum + l.packs * l.packPrice, 0);

/** The draft for one supplier, or undefined when nothing it sells is below par. */
export function draftPurchaseOrder(minimumOrderValue: number, offers: readonly Offer[], positions: ReadonlyMap<string, StockPosition>): Draft | undefined {
  const packs = new Map<string, number>();
  for (const offer of offers) {
    const position = positions.get(offer.itemId);
    if (!position || position.par <= 0) continue;
    const need = position.par - position.onHand - position.onOrder;
    if (need > 0) packs.set(offer.itemId, ceilDiv(need, offer.packSize));
  }
  if (packs.size === 0) return undefined;
  const candidates = offers.filter((o) => (positions.get(o.itemId)?.par ?? 0) > 0 && o.packPrice > 0);
  const covered = (o: Offer) => {
    const p = positions.get(o.itemId)!;
    return BigInt(p.onHand + p.onOrder + (packs.get(o.itemId) ?? 0) * o.packSize);
  };
  const lessCovered = (a: Offer, b: Offer) => {
    const [left, right] = [covered(a) * BigInt(positions.get(b.itemId)!.par), covered(b) * BigInt(positions.get(a.itemId)!.par)];
    if (left !== right) return left < right;
    return a.packPrice !== b.packPrice ? a.packPrice < b.packPrice : a.itemId < b.itemId;
  };
  let total = orderValue(offers.map((o) => ({ packs: packs.get(o.itemId) ?? 0, packPrice: o.packPrice })));
  for (let added = 0; total < minimumOrderValue && added < MAX_TOP_UP_PACKS && candidates.length > 0; added++) {
    const chosen = candidates.reduce((best, o) => (lessCovered(o, best) ? o : best));
    packs.set(chosen.itemId, (packs.get(chosen.itemId) ?? 0) + 1);
    total += chosen.packPrice;
  }
  const lines = offers.filter((o) => packs.has(o.itemId)).map((o) => ({ ...o, packs: packs.get(o.itemId)! }));
  return { lines, total, belowMinimum: total < minimumOrderValue };
}

export function transition(po: PurchaseOrder, action: PoAction): PurchaseOrder {
  const { from, to } = TRANSITIONS[action];
  if (!from.includes(po.status)) throw new ConflictError(`A ${po.status} purchase order cannot ${action} (${po.status} → ${to})`, { status: po.status, action, to });
  return { ...po, status: to, version: po.version + 1, ...(action === 'close-short' ? { shortClosed: true } : {}) };
}

/** A manager's edit of a draft's lines: the total follows. */
export function editDraft(po: PurchaseOrder, lines: ReadonlyArray<Offer & { lineId: string; packs: number }>): PurchaseOrder {
  if (po.status !== 'draft') throw new ConflictError(`Only a draft purchase order is edited; this one is ${po.status}`, { status: po.status });
  const next = lines.map((l) => ({ ...l, receivedPacks: 0, receivedCost: 0 }));
  return { ...po, lines: next, total: orderValue(next), version: po.version + 1 };
}

export interface ReceiptLine {
  lineId: string;
  packs: number;
  /** The invoice price per pack, minor units. */
  packPrice: number;
  location: string;
  /** Delivered instead of the line's item. */
  substitute?: { itemId: string; packUnit: string; packSize: number };
}

export interface ReceiveMovement {
  kind: 'receive';
  itemId: string;
  location: string;
  quantity: number;
  cost: number;
  lineId: string;
}

export type ReceiptFlag =
  | { kind: 'price-difference'; lineId: string; orderedPackPrice: number; invoicedPackPrice: number; difference: number }
  | { kind: 'substituted'; lineId: string; ordered: string; delivered: string }
  | { kind: 'over-received'; lineId: string; orderedPacks: number; receivedPacks: number };

/** Goods received against `po`: its next state, the movements to book, and what the clerk should look at. */
export function receive(po: PurchaseOrder, receipt: readonly ReceiptLine[]): { po: PurchaseOrder; movements: ReceiveMovement[]; flags: ReceiptFlag[] } {
  if (po.status !== 'sent' && po.status !== 'partially-received') {
    throw new ConflictError(`A ${po.status} purchase order takes no receipt`, { status: po.status });
  }
  if (receipt.length === 0) throw new UnprocessableError('A receipt has at least one line');
  const lineIds = receipt.map((r) => r.lineId);
  const twice = lineIds.find((id, i) => lineIds.indexOf(id) !== i);
  if (twice) throw new UnprocessableError(`Line ${twice} is received twice in one receipt`, { lineId: twice });
  const movements: ReceiveMovement[] = [];
  const flags: ReceiptFlag[] = [];
  const lines = po.lines.map((line) => ({ ...line }));
  for (const r of receipt) {
    const line = lines.find((l) => l.lineId === r.lineId);
    if (!line) throw new UnprocessableError(`The purchase order has no line ${r.lineId}`, { lineId: r.lineId });
    if (!Number.isSafeInteger(r.packs) || r.packs < 1 || !Number.isSafeInteger(r.packPrice) || r.packPrice < 0) {
      throw new UnprocessableError(`Line ${r.lineId}: packs must be 1 or more and the price whole minor units`, { lineId: r.lineId });
    }
    const delivered = r.substitute ?? line;
    const cost = r.packs * r.packPrice;
    movements.push({ kind: 'receive', itemId: delivered.itemId, location: r.location, quantity: r.packs * delivered.packSize, cost, lineId: r.lineId });
    if (r.substitute && r.substitute.itemId !== line.itemId) flags.push({ kind: 'substituted', lineId: r.lineId, ordered: line.itemId, delivered: r.substitute.itemId });
    if (r.packPrice !== line.packPrice) {
      flags.push({ kind: 'price-difference', lineId: r.lineId, orderedPackPrice: line.packPrice, invoicedPackPrice: r.packPrice, difference: cost - r.packs * line.packPrice });
    }
    line.receivedPacks += r.packs;
    line.receivedCost += cost;
    if (line.receivedPacks > line.packs) flags.push({ kind: 'over-received', lineId: r.lineId, orderedPacks: line.packs, receivedPacks: line.receivedPacks });
  }
  const complete = lines.every((l) => l.receivedPacks >= l.packs);
  return { po: { ...po, lines, status: complete ? 'received' : 'partially-received', version: po.version + 1 }, movements, flags };
}
