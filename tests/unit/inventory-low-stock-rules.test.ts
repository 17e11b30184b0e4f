// Low stock and automatic drafts, pure: usage from the ledger, the assessment against the preferred supplier's next
// delivery, the episode written once per opening, and the draft with what is on order subtracted.
import { assessItem, daysOfCover, episodeAfter, isWatched, netUsage, USAGE_WINDOW_DAYS, type EpisodeRecord } from '../../functions/inventory/low-stock-rules';
import { draftFor, draftId, draftRecord, onOrderByItem } from '../../functions/inventory/purchase-draft-rules';
import type { PurchaseOrderRecord, SupplierRecord } from '../../functions/inventory/schemas';

const move = (kind: string, before: number, after: number, reason?: string) => ({ kind, changes: [{ before, after }], ...(reason ? { reason } : {}) });

describe('usage', () => {
  it('is sales less returns plus prepared voids; counts, receipts, manual waste and transfers are not usage', () => {
    const ledger = [
      move('sale', 10_000, 9_000),
      move('sale', 9_000, 8_500),
      move('sale-return', 8_500, 8_800),
      move('waste', 8_800, 8_600, 'voided'),
      move('waste', 8_600, 8_000, 'spoiled'),
      move('count', 8_000, 7_000),
      move('receive', 7_000, 17_000),
      move('adjustment', 17_000, 16_000),
    ];
    expect(netUsage(ledger)).toBe(1_000 + 500 - 300 + 200);
  });

  it('never goes below zero (more returned in the window than sold in it)', () => {
    expect(netUsage([move('sale-return', 0, 5_000)])).toBe(0);
    expect(netUsage([])).toBe(0);
  });

  it('a transfer of two locations is not usage, a sale below zero is', () => {
    expect(netUsage([{ kind: 'transfer', changes: [{ before: 5, after: 0 }, { before: 0, after: 5 }] }, move('sale', 100, -400)])).toBe(500);
  });
});

const supplier: SupplierRecord = {
  siteId: 'site-1',
  supplierId: 'dairy',
  name: 'Dairy',
  contact: {},
  leadTimeDays: 1,
  deliveryWeekdays: ['mon', 'wed', 'fri'],
  orderCutOff: '14:00',
  deliveryTime: '07:30',
  minimumOrderValue: 5000,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
// Monday 2026-03-02 10:00 in Paris (09:00 UTC): before the cut-off, the order makes Tuesday's date, delivered Wednesday 07:30.
const monday = Date.parse('2026-03-02T09:00:00Z');

describe('assessment', () => {
  it('is low when usage until the preferred supplier’s next delivery eats the stock, with the delivery named', () => {
    // 14 kg in 14 days: 1 kg a day; Wednesday 07:30 Paris is 1 day 21.5 h away: needs 1 895.833… g, rounded up to 1 895.834 g.
    const low = assessItem({ item: { reorderPoint: 500_000 }, onHand: 1_800_000, usage: 14_000_000, supplier, timeZone: 'Europe/Paris', now: monday });
    expect(low).toMatchObject({ low: true, neededUntilDelivery: 1_895_834, delivery: { supplierId: 'dairy', deliveryDate: '2026-03-04', arrivesAt: Date.parse('2026-03-04T06:30:00Z') } });
    const enough = assessItem({ item: { reorderPoint: 500_000 }, onHand: 2_000_000, usage: 14_000_000, supplier, timeZone: 'Europe/Paris', now: monday });
    expect(enough.low).toBe(false);
    expect(enough.runsOutAt).toBe(monday + 2 * 24 * 60 * 60 * 1000);
  });

  it('without a supplier or usage, low means at or below the reorder point', () => {
    expect(assessItem({ item: { reorderPoint: 2_500_000 }, onHand: 2_500_000, usage: 0, supplier: undefined, timeZone: 'UTC', now: monday })).toEqual({
      low: true,
      onHand: 2_500_000,
      reorderPoint: 2_500_000,
      usage: 0,
      neededUntilDelivery: 0,
    });
    expect(assessItem({ item: { reorderPoint: 2_500_000 }, onHand: 2_500_001, usage: 0, supplier, timeZone: 'UTC', now: monday }).low).toBe(false);
  });

  it('watches items with a reorder point, a par or a preferred supplier, never archived ones', () => {
    expect(isWatched({ archived: false, par: 0, reorderPoint: 0 }, false)).toBe(false);
    expect(isWatched({ archived: false, par: 0, reorderPoint: 0 }, true)).toBe(true);
    expect(isWatched({ archived: false, par: 1, reorderPoint: 0 }, false)).toBe(true);
    expect(isWatched({ archived: true, par: 1, reorderPoint: 1 }, true)).toBe(false);
  });

  it('days of cover at the window’s usage, one decimal, none without usage', () => {
    expect(daysOfCover(1_000_000, USAGE_WINDOW_DAYS * 1_000_000)).toBe(1);
    expect(daysOfCover(1_500_000, USAGE_WINDOW_DAYS * 1_000_000)).toBe(1.5);
    expect(daysOfCover(-5, 1)).toBe(0);
    expect(daysOfCover(1_000, 0)).toBeUndefined();
  });
});

describe('episodes', () => {
  const ids = { siteId: 'site-1', itemId: 'cheddar', itemName: 'Cheddar', unit: 'g' };
  const lowAssessment = assessItem({ item: { reorderPoint: 1_000 }, onHand: 500, usage: 0, supplier: undefined, timeZone: 'UTC', now: monday });
  const fine = assessItem({ item: { reorderPoint: 1_000 }, onHand: 5_000, usage: 0, supplier: undefined, timeZone: 'UTC', now: monday });

  it('opens once: the first low assessment opens episode 1, the next ones only refresh it', () => {
    const opened = episodeAfter(undefined, ids, lowAssessment, monday)!;
    expect(opened).toEqual({ transition: 'opened', record: { ...ids, open: true, episode: 1, openedAt: monday, version: 1, assessedAt: monday, assessment: lowAssessment } });
    const again = episodeAfter(opened.record, ids, lowAssessment, monday + 1)!;
    expect(again.transition).toBeUndefined();
    expect(again.record).toMatchObject({ open: true, episode: 1, openedAt: monday, version: 2, assessedAt: monday + 1 });
  });

  it('closes when stock is back, then a new low opens episode 2; nothing is written while nothing is low', () => {
    const open: EpisodeRecord = { ...ids, open: true, episode: 1, openedAt: monday, version: 3, assessedAt: monday };
    const closed = episodeAfter(open, ids, fine, monday + 10)!;
    expect(closed).toEqual({ transition: 'closed', record: { ...ids, open: false, episode: 1, version: 4, assessedAt: monday + 10 } });
    expect(episodeAfter(closed.record, ids, fine, monday + 20)).toBeUndefined();
    expect(episodeAfter(undefined, ids, fine, monday)).toBeUndefined();
    expect(episodeAfter(closed.record, ids, lowAssessment, monday + 30)).toMatchObject({ transition: 'opened', record: { episode: 2, version: 5 } });
  });
});

describe('drafts', () => {
  const line = (itemId: string, packs: number, receivedPacks: number, packSize: number) => ({ lineId: 'L1', itemId, packUnit: 'block', packSize, packPrice: 100, packs, receivedPacks, receivedCost: 0 });
  const po = (status: PurchaseOrderRecord['status'], lines: PurchaseOrderRecord['lines']) => ({ status, lines });

  it('counts on order what open POs have still to deliver, never closed ones', () => {
    const onOrder = onOrderByItem([
      po('approved', [line('cheddar', 2, 0, 2_500_000)]),
      po('partially-received', [line('cheddar', 3, 2, 2_500_000), line('milk', 4, 5, 1_000_000)]),
      po('received', [line('cheddar', 9, 0, 2_500_000)]),
      po('cancelled', [line('cheddar', 9, 0, 2_500_000)]),
    ]);
    expect(onOrder).toEqual(new Map([['cheddar', 7_500_000]]));
  });

  it('fills the low items to par less on-hand and on order, in whole packs, raised to the minimum', () => {
    const offers = [{ itemId: 'cheddar', packUnit: 'block', packSize: 2_500_000, packPrice: 3150 }];
    const cheddar = { itemId: 'cheddar', par: 7_500_000 };
    // 7.5 kg par - 2 kg on hand = 5.5 kg: 3 blocks.
    expect(draftFor(5000, offers, [cheddar], new Map([['cheddar', 2_000_000]]), new Map())).toMatchObject({ lines: [{ itemId: 'cheddar', packs: 3 }], total: 9450 });
    // With one block on order: 3 kg → 2 blocks.
    expect(draftFor(5000, offers, [cheddar], new Map([['cheddar', 2_000_000]]), new Map([['cheddar', 2_500_000]]))).toMatchObject({ lines: [{ packs: 2 }], total: 6300 });
    // Covered by what is on order: no draft.
    expect(draftFor(5000, offers, [cheddar], new Map([['cheddar', 2_000_000]]), new Map([['cheddar', 7_500_000]]))).toBeUndefined();
    // Below the minimum: raised by whole packs. Sold below zero: counted as none on hand.
    expect(draftFor(20_000, offers, [cheddar], new Map([['cheddar', -1_000_000]]), new Map())).toMatchObject({ lines: [{ packs: 7 }], total: 22_050, belowMinimum: false });
  });

  it('drafts only the low items the supplier sells, never an item without a par', () => {
    const offers = [
      { itemId: 'cheddar', packUnit: 'block', packSize: 2_500_000, packPrice: 3150 },
      { itemId: 'butter', packUnit: 'case', packSize: 10_000_000, packPrice: 5000 },
    ];
    const draft = draftFor(0, offers, [{ itemId: 'cheddar', par: 5_000_000 }, { itemId: 'cream', par: 0 }], new Map(), new Map());
    expect(draft?.lines.map((l) => l.itemId)).toEqual(['cheddar']);
    expect(draftFor(0, offers, [{ itemId: 'cheddar', par: 0 }], new Map(), new Map())).toBeUndefined();
  });

  it('names the n-th draft of a supplier within 64 characters, a long id cut and hashed apart', () => {
    expect(draftId('valley-dairy', 3)).toBe('valley-dairy-d3');
    const long = draftId('x'.repeat(64), 12);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^x+-[0-9a-f]{8}-d12$/);
    expect(draftId('x'.repeat(63) + 'y', 12)).not.toBe(long);
  });

  it('a draft record is a draft PO with numbered lines and nothing received', () => {
    const record = draftRecord({
      siteId: 'site-1',
      supplierId: 'dairy',
      purchaseOrderId: 'dairy-d1',
      draft: { lines: [{ itemId: 'cheddar', packUnit: 'block', packSize: 2_500_000, packPrice: 3150, packs: 3 }], total: 9450, belowMinimum: false },
      now: '2026-03-02T09:00:00.000Z',
    });
    expect(record).toEqual({
      siteId: 'site-1',
      purchaseOrderId: 'dairy-d1',
      supplierId: 'dairy',
      status: 'draft',
      lines: [{ lineId: 'L1', itemId: 'cheddar', packUnit: 'block', packSize: 2_500_000, packPrice: 3150, packs: 3, receivedPacks: 0, receivedCost: 0 }],
      total: 9450,
      belowMinimum: false,
      version: 1,
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
    });
  });
});
