import type { EventOf } from '#shared/contracts';
import { deplete, DEPLETING_EVENTS, depletionKey, isPrepared, type DepletableItem, type DepletingEvent, type OrderDepletion } from '../../functions/inventory/depletion-rules';
import { sampleEvent } from './fixtures/events';

// The samples are one order, ord-7Kq2: placed v1 with L1 burger (1 patty, 1 bun, 30 g bacon); L2 lemonade ×2
// (120 ml lemon juice) added at v2; paid at v9 with L1 and L2. We build the other events of it from the samples.
const items = new Map<string, DepletableItem>([
  ['beef-patty', { itemId: 'beef-patty', baseUnit: 'each', units: [], depleteFrom: 'walk-in' }],
  ['brioche-bun', { itemId: 'brioche-bun', baseUnit: 'each', units: [], depleteFrom: 'dry-store' }],
  ['bacon', { itemId: 'bacon', baseUnit: 'g', units: [], depleteFrom: 'walk-in' }],
  ['lemon-juice', { itemId: 'lemon-juice', baseUnit: 'ml', units: [], depleteFrom: 'bar' }],
]);

type Line = EventOf<'order.placed'>['data']['lines'][number];
const placed = sampleEvent('order.placed');
const [burger] = placed.data.lines as [Line];
const lemonade = sampleEvent('order.line-added').data.line;
const lemonadeRemoved = (lineId: string, version: number): DepletingEvent => {
  const event = sampleEvent('order.line-removed');
  return { ...event, data: { ...event.data, version, line: { ...event.data.line, lineId } } };
};
const lineAdded = (line: Line, version: number): DepletingEvent => {
  const event = sampleEvent('order.line-added');
  return { ...event, data: { ...event.data, version, line } };
};
const snapshot = (type: 'order.placed' | 'order.paid', lines: Line[], version: number): DepletingEvent => {
  const event = sampleEvent(type);
  return { ...event, data: { ...event.data, lines, version } } as DepletingEvent;
};
const voided = (from: EventOf<'order.voided'>['data']['from'], lines: Line[], version: number): DepletingEvent => {
  const event = sampleEvent('order.voided');
  return { ...event, data: { ...event.data, orderId: 'ord-7Kq2', from, lines, version } };
};

/** Runs events in order, returning every movement and the final state. */
function run(events: readonly DepletingEvent[], state?: OrderDepletion) {
  let current = state;
  const movements = [];
  for (const event of events) {
    const result = deplete(current, event, items);
    current = result.state;
    movements.push(...result.movements.map(({ kind, itemId, quantity, reason }) => ({ kind, itemId, quantity, ...(reason ? { reason } : {}) })));
  }
  return { state: current!, movements };
}

/** Net stock change per item: sales and waste take, returns give back. */
function net(movements: ReturnType<typeof run>['movements']): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const m of movements) totals[m.itemId] = (totals[m.itemId] ?? 0) + (m.kind === 'sale-return' ? m.quantity : -m.quantity);
  return Object.fromEntries(Object.entries(totals).filter(([, q]) => q !== 0));
}

const BURGER_TAKES = { 'beef-patty': -1000, 'brioche-bun': -1000, bacon: -30_000 };

describe('placing an order depletes each line, per recipe, converted to milli-base units', () => {
  it('takes every ingredient of the lines from its location, one movement per item', () => {
    const result = deplete(undefined, placed, items);
    expect(result.movements).toEqual([
      { kind: 'sale', itemId: 'bacon', location: 'walk-in', quantity: 30_000, lineIds: ['L1'] },
      { kind: 'sale', itemId: 'beef-patty', location: 'walk-in', quantity: 1000, lineIds: ['L1'] },
      { kind: 'sale', itemId: 'brioche-bun', location: 'dry-store', quantity: 1000, lineIds: ['L1'] },
    ]);
    expect(result).toMatchObject({ key: 'ord-7Kq2#order.placed#1', replay: false });
    expect(result.state.lines).toEqual({
      L1: {
        seenAt: 1,
        status: 'depleted',
        taken: [
          { itemId: 'beef-patty', location: 'walk-in', quantity: 1000 },
          { itemId: 'brioche-bun', location: 'dry-store', quantity: 1000 },
          { itemId: 'bacon', location: 'walk-in', quantity: 30_000 },
        ],
      },
    });
  });

  it('sums one ingredient over lines and units into one movement naming the lines', () => {
    const extra = { ...lemonade, lineId: 'L5', consumption: [{ ingredientId: 'lemon-juice', quantity: 0.06, unit: 'l' as const }] };
    const result = deplete(undefined, snapshot('order.placed', [lemonade, extra], 1), items);
    expect(result.movements).toEqual([{ kind: 'sale', itemId: 'lemon-juice', location: 'bar', quantity: 180_000, lineIds: ['L2', 'L5'] }]);
  });

  it('keeps recipe fractions exact (0.25 each, 0.5 g)', () => {
    const line = { ...burger, consumption: [{ ingredientId: 'brioche-bun', quantity: 0.25, unit: 'each' as const }, { ingredientId: 'bacon', quantity: 0.5, unit: 'g' as const }] };
    expect(net(run([snapshot('order.placed', [line], 1)]).movements)).toEqual({ 'brioche-bun': -250, bacon: -500 });
  });
});

describe('a replayed or late event depletes once', () => {
  it('the same event twice: the second is a replay with nothing to write', () => {
    const first = deplete(undefined, placed, items);
    const again = deplete(first.state, placed, items);
    expect(again).toMatchObject({ replay: true, movements: [], state: first.state });
  });

  it('the paid snapshot after placed and line-added takes nothing more', () => {
    const { movements } = run([placed, lineAdded(lemonade, 2), sampleEvent('order.paid')]);
    expect(net(movements)).toEqual({ ...BURGER_TAKES, 'lemon-juice': -120_000 });
    expect(movements.filter((m) => m.kind === 'sale')).toHaveLength(4);
  });

  it('in any order of arrival, the same stock is taken', () => {
    const events = [placed, lineAdded(lemonade, 2), sampleEvent('order.paid')];
    const expected = net(run(events).movements);
    for (const order of [[2, 1, 0], [1, 0, 2], [2, 0, 1], [0, 2, 1]]) {
      expect(net(run(order.map((i) => events[i]!)).movements)).toEqual(expected);
    }
  });

  it('each key names the order, the type and the version: a change publishing two events keeps both', () => {
    expect(depletionKey('ord-1', 'order.placed', 1)).toBe('ord-1#order.placed#1');
    const paid = deplete(undefined, sampleEvent('order.paid'), items);
    expect(paid.key).toBe('ord-7Kq2#order.paid#9');
    expect(paid.state.applied).toEqual(['ord-7Kq2#order.paid#9']);
  });
});

describe('lines removed while the order is open give their depletion back', () => {
  it('line-removed after its line was depleted: a sale-return of exactly what it took', () => {
    const l3 = { ...lemonade, lineId: 'L3', quantity: 1, consumption: [{ ingredientId: 'lemon-juice', quantity: 60, unit: 'ml' as const }] };
    const { movements, state } = run([placed, lineAdded(l3, 3), lemonadeRemoved('L3', 4)]);
    expect(movements.slice(-1)).toEqual([{ kind: 'sale-return', itemId: 'lemon-juice', quantity: 60_000 }]);
    expect(net(movements)).toEqual(BURGER_TAKES);
    expect(state.lines.L3!.status).toBe('removed');
  });

  it('line-removed before its line-added arrives: a tombstone, the late line-added takes nothing', () => {
    const l3 = { ...lemonade, lineId: 'L3' };
    const { movements, state } = run([lemonadeRemoved('L3', 4), lineAdded(l3, 3)]);
    expect(movements).toEqual([]);
    expect(state.lines.L3).toEqual({ seenAt: 4, status: 'removed', taken: [] });
  });

  it('a snapshot newer than a depleted line and without it proves it was removed', () => {
    const l3 = { ...lemonade, lineId: 'L3' };
    const { movements } = run([lineAdded(l3, 3), snapshot('order.paid', [burger], 5)]);
    expect(net(movements)).toEqual(BURGER_TAKES);
  });

  it('a snapshot older than the line proves nothing: placed v1 arriving after line-added v2', () => {
    const { movements } = run([lineAdded(lemonade, 2), placed]);
    expect(net(movements)).toEqual({ ...BURGER_TAKES, 'lemon-juice': -120_000 });
  });
});

describe('a void', () => {
  it('before preparation (an open order, pending lines) restores everything', () => {
    const { movements, state } = run([placed, voided('open', [burger], 2)]);
    expect(net(movements)).toEqual({});
    expect(movements.filter((m) => m.kind === 'sale-return')).toHaveLength(3);
    expect(state).toMatchObject({ voidedAt: 2, lines: { L1: { status: 'voided' } } });
  });

  it('after preparation books the sale as waste (reason voided): stock stays gone', () => {
    const { movements } = run([placed, voided('preparing', [burger], 5)]);
    expect(net(movements)).toEqual(BURGER_TAKES);
    expect(movements.filter((m) => m.kind === 'waste')).toEqual([
      { kind: 'waste', itemId: 'bacon', quantity: 30_000, reason: 'voided' },
      { kind: 'waste', itemId: 'beef-patty', quantity: 1000, reason: 'voided' },
      { kind: 'waste', itemId: 'brioche-bun', quantity: 1000, reason: 'voided' },
    ]);
    expect(movements.filter((m) => m.kind === 'sale-return')).toHaveLength(3);
  });

  it('of a sent order: fired and done lines were prepared, pending ones restore', () => {
    const fired = { ...burger, status: 'fired' as const };
    const pending = { ...lemonade };
    const { movements } = run([snapshot('order.placed', [burger, lemonade], 1), voided('sent', [fired, pending], 4)]);
    expect(net(movements)).toEqual(BURGER_TAKES);
    expect(movements.filter((m) => m.kind === 'waste').map((m) => m.itemId)).toEqual(['bacon', 'beef-patty', 'brioche-bun']);
  });

  it('whose placed event is still on the way: a prepared line is booked as waste only, a pending one as nothing', () => {
    expect(run([voided('ready', [burger], 6)]).movements).toEqual([
      { kind: 'waste', itemId: 'bacon', quantity: 30_000, reason: 'voided' },
      { kind: 'waste', itemId: 'beef-patty', quantity: 1000, reason: 'voided' },
      { kind: 'waste', itemId: 'brioche-bun', quantity: 1000, reason: 'voided' },
    ]);
    expect(run([voided('open', [burger], 2)]).movements).toEqual([]);
  });

  it('settles the order: events arriving after it change nothing', () => {
    const { movements } = run([voided('open', [burger], 3), placed, lineAdded(lemonade, 2), snapshot('order.paid', [burger, lemonade], 2)]);
    expect(movements).toEqual([]);
  });

  it('restores a depleted line missing from the void (removed before it, its event late)', () => {
    const { movements } = run([placed, lineAdded(lemonade, 2), voided('preparing', [burger], 6)]);
    expect(net(movements)).toEqual(BURGER_TAKES);
    expect(movements).toContainEqual({ kind: 'sale-return', itemId: 'lemon-juice', quantity: 120_000 });
  });

  it('decides preparation from the line, then the order status before the void', () => {
    expect(isPrepared({ status: 'pending' }, 'open')).toBe(false);
    expect(isPrepared({ status: 'pending' }, 'sent')).toBe(false);
    expect(isPrepared({ status: 'fired' }, 'sent')).toBe(true);
    expect(isPrepared({ status: 'done' }, 'sent')).toBe(true);
    for (const from of ['preparing', 'ready', 'served'] as const) expect(isPrepared({ status: 'pending' }, from)).toBe(true);
  });
});

describe('refunds never restore', () => {
  it('payment.refunded is not an event depletion takes', () => {
    expect(DEPLETING_EVENTS).not.toContain('payment.refunded');
    expect([...DEPLETING_EVENTS].sort()).toEqual(['order.line-added', 'order.line-removed', 'order.paid', 'order.placed', 'order.voided']);
  });
});

describe('what cannot be depleted is listed for the manager', () => {
  it('a line without a recipe, an ingredient without a stock item, a unit that does not convert', () => {
    const noRecipe = { ...lemonade, lineId: 'L7', itemId: 'espresso', name: 'Espresso', consumption: [] };
    const unknown = { ...lemonade, lineId: 'L8', consumption: [{ ingredientId: 'mint', quantity: 2, unit: 'g' as const }, { ingredientId: 'lemon-juice', quantity: 60, unit: 'ml' as const }] };
    const alsoUnknown = { ...lemonade, lineId: 'L9', consumption: [{ ingredientId: 'mint', quantity: 1, unit: 'g' as const }] };
    const wrongUnit = { ...burger, lineId: 'L10', consumption: [{ ingredientId: 'bacon', quantity: 2, unit: 'each' as const }] };
    const result = deplete(undefined, snapshot('order.placed', [noRecipe, unknown, alsoUnknown, wrongUnit], 1), items);
    expect(result.unresolved).toEqual({
      missingRecipes: [{ menuItemId: 'espresso', name: 'Espresso', lineId: 'L7' }],
      unknownIngredients: [{ ingredientId: 'mint', lineIds: ['L8', 'L9'] }],
      unconvertible: [{ ingredientId: 'bacon', unit: 'each', lineId: 'L10', message: expect.stringContaining('for item bacon') }],
    });
    // What could be depleted still is.
    expect(result.movements).toEqual([{ kind: 'sale', itemId: 'lemon-juice', location: 'bar', quantity: 60_000, lineIds: ['L8'] }]);
  });
});

describe('every order of arrival, with replays, takes the same stock', () => {
  function permutations<T>(list: readonly T[]): T[][] {
    if (list.length <= 1) return [[...list]];
    return list.flatMap((head, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [head, ...rest]));
  }
  const l3 = { ...lemonade, lineId: 'L3', quantity: 1, consumption: [{ ingredientId: 'lemon-juice', quantity: 60, unit: 'ml' as const }] };

  it('an order with a line added, one added then removed, then paid: 120 orders, each also with every event replayed', () => {
    const events = [placed, lineAdded(lemonade, 2), lineAdded(l3, 3), lemonadeRemoved('L3', 4), snapshot('order.paid', [burger, lemonade], 9)];
    const expected = { ...BURGER_TAKES, 'lemon-juice': -120_000 };
    for (const order of permutations(events)) {
      expect(net(run(order).movements)).toEqual(expected);
      expect(net(run([...order, ...order]).movements)).toEqual(expected);
    }
  });

  it('an order voided after a line was fired and another removed: whatever arrives first', () => {
    const fired = { ...burger, status: 'fired' as const };
    const events = [snapshot('order.placed', [burger, lemonade], 1), lemonadeRemoved('L2', 2), voided('sent', [fired], 5)];
    for (const order of permutations(events)) {
      const { movements } = run([...order, order[0]!]);
      expect(net(movements)).toEqual(BURGER_TAKES);
      expect(movements.filter((m) => m.kind === 'waste').map((m) => m.itemId).sort()).toEqual(['bacon', 'beef-patty', 'brioche-bun']);
    }
  });
});
