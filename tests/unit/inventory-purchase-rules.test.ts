import { ConflictError, UnprocessableError } from '#shared/errors';
import {
  draftPurchaseOrder,
  editDraft,
  MAX_TOP_UP_PACKS,
  receive,
  transition,
  type Offer,
  type PoAction,
  type PoStatus,
  type PurchaseOrder,
  type StockPosition,
} from '../../functions/inventory/purchase-rules';

const KG = 1_000_000;
const flour: Offer = { itemId: 'flour', packUnit: 'case', packSize: 6 * KG, packPrice: 1140 };
const oil: Offer = { itemId: 'olive-oil', packUnit: 'bottle', packSize: 750_000, packPrice: 980 };
const eggs: Offer = { itemId: 'eggs', packUnit: 'tray', packSize: 30_000, packPrice: 600 };

const positions = (...list: StockPosition[]) => new Map(list.map((p) => [p.itemId, p]));
const at = (itemId: string, onHand: number, par: number, onOrder = 0): StockPosition => ({ itemId, onHand, onOrder, par });

describe('fill to par, in whole packs', () => {
  it('orders par - on-hand - on order, rounded up to packs', () => {
    const draft = draftPurchaseOrder(0, [flour, oil], positions(at('flour', 2 * KG, 20 * KG), at('olive-oil', 1_000_000, 4_000_000, 1_500_000)));
    // flour: 18 kg → 3 cases (18 kg exactly); oil: 1.5 l → 2 bottles.
    expect(draft).toEqual({
      lines: [
        { ...flour, packs: 3 },
        { ...oil, packs: 2 },
      ],
      total: 3 * 1140 + 2 * 980,
      belowMinimum: false,
    });
  });

  it('rounds a part pack up, and orders for negative (oversold) stock', () => {
    expect(draftPurchaseOrder(0, [flour], positions(at('flour', 14 * KG - 1, 20 * KG)))!.lines[0]!.packs).toBe(2);
    expect(draftPurchaseOrder(0, [flour], positions(at('flour', -4 * KG, 20 * KG)))!.lines[0]!.packs).toBe(4);
  });

  it('drafts nothing when every item is at par, has no par, or is not known', () => {
    expect(draftPurchaseOrder(0, [flour, oil, eggs], positions(at('flour', 20 * KG, 20 * KG), at('olive-oil', 0, 0)))).toBeUndefined();
    expect(draftPurchaseOrder(0, [flour], positions(at('flour', 10 * KG, 20 * KG, 10 * KG)))).toBeUndefined();
  });
});

describe('raised to the minimum order value', () => {
  it('adds whole packs to the item least covered relative to its par, one at a time', () => {
    const draft = draftPurchaseOrder(6000, [flour, eggs], positions(at('flour', 2 * KG, 20 * KG), at('eggs', 0, 90_000)))!;
    // Fill: flour 3 cases (20/20 kg), eggs 3 trays (90/90 each): 5220. Both covered 1.0 → tie → the cheaper pack,
    // eggs (120/90): 5820; flour is now the least covered (1.0) → a fourth case: 6960, over the minimum.
    expect(draft.lines).toEqual([
      { ...flour, packs: 4 },
      { ...eggs, packs: 4 },
    ]);
    expect(draft.total).toBe(4 * 1140 + 4 * 600);
    expect(draft.belowMinimum).toBe(false);
  });

  it('tops up items with a par the supplier sells even when they are at par, never items without one', () => {
    const draft = draftPurchaseOrder(3000, [flour, oil, eggs], positions(at('flour', 14 * KG, 20 * KG), at('olive-oil', 3_000_000, 3_000_000), at('eggs', 0, 0)))!;
    // flour 1 case = 1140, cover (20)/20 = 1; oil 3/3 = 1: tie → cheaper (oil 980) → oil cover 3.75/3 = 1.25;
    // then flour (1.0) → 2 cases (1.3); total 1140 + 980 + 1140 = 3260.
    expect(draft.lines).toEqual([
      { ...flour, packs: 2 },
      { ...oil, packs: 1 },
    ]);
    expect(draft.total).toBe(3260);
  });

  it('breaks a tie of coverage and price by the lower item id', () => {
    const a: Offer = { itemId: 'a-item', packUnit: 'case', packSize: 1000, packPrice: 500 };
    const b: Offer = { itemId: 'b-item', packUnit: 'case', packSize: 1000, packPrice: 500 };
    const draft = draftPurchaseOrder(1500, [b, a], positions(at('a-item', 0, 1000), at('b-item', 0, 1000)))!;
    expect(draft.lines).toEqual([
      { ...b, packs: 1 },
      { ...a, packs: 2 },
    ]);
  });

  it('flags a minimum that cannot be reached: nothing to add, or more packs than allowed', () => {
    const free: Offer = { ...eggs, packPrice: 0 };
    expect(draftPurchaseOrder(1000, [free], positions(at('eggs', 0, 30_000)))).toEqual({ lines: [{ ...free, packs: 1 }], total: 0, belowMinimum: true });
    const cheap: Offer = { ...eggs, packPrice: 1 };
    const draft = draftPurchaseOrder(1_000_000, [cheap], positions(at('eggs', 0, 30_000)))!;
    expect(draft).toMatchObject({ belowMinimum: true, total: 1 + MAX_TOP_UP_PACKS });
  });

  it('keeps money whole: total is Σ packs × pack price', () => {
    const draft = draftPurchaseOrder(10_000, [flour, oil, eggs], positions(at('flour', 0, 7 * KG), at('olive-oil', 0, 1_000_000), at('eggs', 0, 45_000)))!;
    expect(draft.total).toBe(draft.lines.reduce((s, l) => s + l.packs * l.packPrice, 0));
    expect(draft.total).toBeGreaterThanOrEqual(10_000);
    expect(Number.isInteger(draft.total)).toBe(true);
  });
});

const po = (status: PoStatus, lines = [{ ...flour, lineId: 'L1', packs: 3 }, { ...oil, lineId: 'L2', packs: 6 }]): PurchaseOrder => ({
  purchaseOrderId: 'po-1',
  supplierId: 'green-valley',
  status,
  lines: lines.map((l) => ({ ...l, receivedPacks: 0, receivedCost: 0 })),
  total: lines.reduce((s, l) => s + l.packs * l.packPrice, 0),
  version: 1,
});

describe('the purchase order state machine', () => {
  const allowed: Array<[PoStatus, PoAction, PoStatus]> = [
    ['draft', 'approve', 'approved'],
    ['approved', 'send', 'sent'],
    ['draft', 'cancel', 'cancelled'],
    ['approved', 'cancel', 'cancelled'],
    ['sent', 'cancel', 'cancelled'],
    ['partially-received', 'close-short', 'received'],
  ];
  it.each(allowed)('%s --%s--> %s', (from, action, to) => {
    const next = transition(po(from), action);
    expect(next).toMatchObject({ status: to, version: 2 });
    expect(next.shortClosed).toBe(action === 'close-short' ? true : undefined);
  });

  const statuses: PoStatus[] = ['draft', 'approved', 'sent', 'partially-received', 'received', 'cancelled'];
  const actions: PoAction[] = ['approve', 'send', 'cancel', 'close-short'];
  const refused = statuses.flatMap((s) => actions.map((a) => [s, a] as const)).filter(([s, a]) => !allowed.some(([f, x]) => f === s && x === a));
  it.each(refused)('%s cannot %s (409)', (from, action) => {
    expect(() => transition(po(from), action)).toThrow(ConflictError);
  });

  it('edits lines only in draft, and the total follows', () => {
    const edited = editDraft(po('draft'), [{ ...eggs, lineId: 'L1', packs: 4 }]);
    expect(edited).toMatchObject({ total: 2400, version: 2, lines: [{ itemId: 'eggs', packs: 4, receivedPacks: 0, receivedCost: 0 }] });
    expect(() => editDraft(po('approved'), [])).toThrow(ConflictError);
  });
});

describe('receiving against a purchase order', () => {
  it('a partial delivery books receive movements at the invoice cost and leaves the order partially received', () => {
    const result = receive(po('sent'), [{ lineId: 'L1', packs: 2, packPrice: 1140, location: 'dry-store' }]);
    expect(result.movements).toEqual([{ kind: 'receive', itemId: 'flour', location: 'dry-store', quantity: 12 * KG, cost: 2280, lineId: 'L1' }]);
    expect(result.flags).toEqual([]);
    expect(result.po).toMatchObject({ status: 'partially-received', version: 2 });
    expect(result.po.lines[0]).toMatchObject({ receivedPacks: 2, receivedCost: 2280 });
  });

  it('the rest later completes it', () => {
    const first = receive(po('sent'), [{ lineId: 'L1', packs: 2, packPrice: 1140, location: 'dry-store' }]);
    const second = receive(first.po, [
      { lineId: 'L1', packs: 1, packPrice: 1140, location: 'dry-store' },
      { lineId: 'L2', packs: 6, packPrice: 980, location: 'bar' },
    ]);
    expect(second.po).toMatchObject({ status: 'received', version: 3 });
    expect(second.movements.map((m) => m.quantity)).toEqual([6 * KG, 4_500_000]);
  });

  it('flags a price difference with the money it makes, signed', () => {
    const { flags, movements } = receive(po('sent'), [{ lineId: 'L2', packs: 4, packPrice: 950, location: 'bar' }]);
    expect(movements[0]!.cost).toBe(3800);
    expect(flags).toEqual([{ kind: 'price-difference', lineId: 'L2', orderedPackPrice: 980, invoicedPackPrice: 950, difference: -120 }]);
  });

  it('books a substitute as its own item, counted against the line', () => {
    const { movements, flags, po: next } = receive(po('sent'), [
      { lineId: 'L1', packs: 3, packPrice: 1140, location: 'dry-store', substitute: { itemId: 'flour-t65', packUnit: 'sack', packSize: 5 * KG } },
    ]);
    expect(movements).toEqual([{ kind: 'receive', itemId: 'flour-t65', location: 'dry-store', quantity: 15 * KG, cost: 3420, lineId: 'L1' }]);
    expect(flags).toEqual([{ kind: 'substituted', lineId: 'L1', ordered: 'flour', delivered: 'flour-t65' }]);
    expect(next.lines[0]!.receivedPacks).toBe(3);
  });

  it('takes more than ordered, flagged over-received', () => {
    const { flags, po: next } = receive(po('sent'), [{ lineId: 'L1', packs: 4, packPrice: 1140, location: 'dry-store' }]);
    expect(flags).toEqual([{ kind: 'over-received', lineId: 'L1', orderedPacks: 3, receivedPacks: 4 }]);
    expect(next.status).toBe('partially-received'); // L2 is still to come
  });

  it.each(['draft', 'approved', 'received', 'cancelled'] as const)('a %s order takes no receipt (409)', (status) => {
    expect(() => receive(po(status), [{ lineId: 'L1', packs: 1, packPrice: 1140, location: 'a' }])).toThrow(ConflictError);
  });

  it('refuses an empty receipt, an unknown line, a line twice, and bad packs or prices (422)', () => {
    const line = { lineId: 'L1', packs: 1, packPrice: 1140, location: 'a' };
    for (const receipt of [[], [{ ...line, lineId: 'L9' }], [line, line], [{ ...line, packs: 0 }], [{ ...line, packs: 1.5 }], [{ ...line, packPrice: -1 }]]) {
      expect(() => receive(po('sent'), receipt)).toThrow(UnprocessableError);
    }
  });

  it('leaves the order given untouched (the store writes the new one conditionally on the version)', () => {
    const before = po('sent');
    receive(before, [{ lineId: 'L1', packs: 3, packPrice: 1140, location: 'a' }]);
    expect(before.lines[0]!.receivedPacks).toBe(0);
    expect(before.version).toBe(1);
  });
});
