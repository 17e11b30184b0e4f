// An orders event that moves more stock items than one transaction holds: how its writes are split (the first
// chunk shares its transaction with the depletion record, every chunk stays within DynamoDB's 100 items, one
// on-hand row's movements never straddle two transactions, issues are counted once), and the record's writes that
// keep the rest pending and take each chunk off on the version read.
import { distinctIssues, fitsOnRecord, isDone, MAX_TRANSACTION_ITEMS, movementWrites, nextChunk, type DepletionWork, type PendingDepletion, type PendingMovement } from '../../functions/inventory/depletion-chunks';
import { depletionKey, emptyDepletion, movementIdOf, type Unresolved } from '../../functions/inventory/depletion-rules';
import { DepletionStore } from '../../functions/inventory/depletion-store';

const NOW = '2026-12-03T19:30:00.000Z';
const none = (): Unresolved => ({ missingRecipes: [], unknownIngredients: [], unconvertible: [] });
const sale = (itemId: string, location = 'walk-in'): PendingMovement => ({ kind: 'sale', itemId, location, quantity: 1000 });
const sales = (count: number) => Array.from({ length: count }, (_, i) => sale(`item-${String(i).padStart(3, '0')}`));

/** Every chunk of `work`, in order, as depletion.ts writes them. */
function chunks(work: DepletionWork): DepletionWork[] {
  const all: DepletionWork[] = [];
  let rest = work;
  while (!isDone(rest)) {
    const { now, later } = nextChunk(rest);
    all.push(now);
    rest = later;
  }
  return all;
}
const issuesIn = (u: Unresolved) => u.missingRecipes.length + u.unknownIngredients.length + u.unconvertible.length;
/** The transaction items of a chunk: the record, its rows, movements, events and issues. */
const itemsOf = (chunk: DepletionWork) => 1 + movementWrites(chunk.movements) + issuesIn(chunk.unresolved);

describe('what one transaction holds', () => {
  it('a sale is three items (on-hand row, ledger entry, event); a row moved twice is written once', () => {
    expect(movementWrites([sale('a')])).toBe(3);
    expect(movementWrites([sale('a'), { kind: 'sale-return', itemId: 'a', location: 'walk-in', quantity: 500 }])).toBe(5);
    expect(movementWrites([sale('a'), sale('a', 'bar')])).toBe(6);
  });

  it('33 stock items fit with the record in one transaction; 34 do not', () => {
    expect(nextChunk({ movements: sales(33), unresolved: none() }).later).toEqual({ movements: [], unresolved: none() });
    const { now, later } = nextChunk({ movements: sales(34), unresolved: none() });
    expect(now.movements).toEqual(sales(33));
    expect(later.movements).toEqual([sale('item-033')]);
  });
});

describe('an event over one transaction is split in order, every movement once', () => {
  it('60 sales: 33 with the record, then 27, each within 100 items', () => {
    const all = chunks({ movements: sales(60), unresolved: none() });
    expect(all.map((c) => c.movements.length)).toEqual([33, 27]);
    expect(all.flatMap((c) => c.movements)).toEqual(sales(60));
    for (const chunk of all) expect(itemsOf(chunk)).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
  });

  it('a void of a big order (a return and a waste per item) keeps both movements of a row in one transaction', () => {
    const movements: PendingMovement[] = [
      ...sales(40).map((m) => ({ ...m, kind: 'sale-return' as const })),
      ...sales(40).map((m) => ({ ...m, kind: 'waste' as const, reason: 'voided' as const })),
    ];
    const all = chunks({ movements, unresolved: none() });
    for (const chunk of all) {
      expect(itemsOf(chunk)).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
      const rows = chunk.movements.map((m) => m.itemId);
      // Each item's return and waste together: 5 items per row, 19 rows per chunk.
      expect(rows.filter((id) => id === rows[0]).length).toBe(2);
    }
    expect(all.map((c) => c.movements.length)).toEqual([38, 38, 4]);
    expect(all.flatMap((c) => c.movements).sort((a, b) => a.itemId.localeCompare(b.itemId) || a.kind.localeCompare(b.kind))).toEqual(
      [...movements].sort((a, b) => a.itemId.localeCompare(b.itemId) || a.kind.localeCompare(b.kind)),
    );
  });
});

describe('issues are counted once each, first, and spill over like movements', () => {
  it('the same menu item or unit named by several lines is one issue, the last one seen', () => {
    const u: Unresolved = {
      missingRecipes: [
        { menuItemId: 'soda', name: 'Soda', lineId: 'L1' },
        { menuItemId: 'soda', name: 'Soda', lineId: 'L2' },
      ],
      unknownIngredients: [{ ingredientId: 'cheddar', lineIds: ['L1', 'L3'] }],
      unconvertible: [
        { ingredientId: 'lemon', unit: 'g', lineId: 'L4', message: 'no' },
        { ingredientId: 'lemon', unit: 'g', lineId: 'L5', message: 'no' },
      ],
    };
    expect(distinctIssues(u)).toEqual({
      missingRecipes: [{ menuItemId: 'soda', name: 'Soda', lineId: 'L2' }],
      unknownIngredients: [{ ingredientId: 'cheddar', lineIds: ['L1', 'L3'] }],
      unconvertible: [{ ingredientId: 'lemon', unit: 'g', lineId: 'L5', message: 'no' }],
    });
  });

  it('a site without stock items: 150 unknown ingredients go over two transactions, nothing else waits', () => {
    const unknown = Array.from({ length: 150 }, (_, i) => ({ ingredientId: `ing-${i}`, lineIds: ['L1'] }));
    const all = chunks({ movements: [], unresolved: { ...none(), unknownIngredients: unknown } });
    expect(all.map((c) => c.unresolved.unknownIngredients.length)).toEqual([99, 51]);
    expect(all.flatMap((c) => c.unresolved.unknownIngredients)).toEqual(unknown);
  });

  it('issues take their room first; the movements fill what is left', () => {
    const unresolved = { ...none(), missingRecipes: Array.from({ length: 90 }, (_, i) => ({ menuItemId: `m${i}`, name: 'x', lineId: `L${i}` })) };
    const { now, later } = nextChunk({ movements: sales(5), unresolved });
    expect(issuesIn(now.unresolved)).toBe(90);
    expect(now.movements).toEqual(sales(3));
    expect(later).toEqual({ movements: [sale('item-003'), sale('item-004')], unresolved: none() });
  });
});

describe('the depletion record keeps what is pending', () => {
  const depletions = new DepletionStore('brigade-test-inventory');
  const key = depletionKey('o1', 'order.paid', 9);
  const pending: PendingDepletion = { key, at: NOW, correlationId: 'c1', movements: [sale('a')], unresolved: none() };

  it('the first transaction puts the decision with the rest pending, on the version read', () => {
    const put = depletions.recordWrite('bistro', { ...emptyDepletion('o1'), applied: [key] }, 2, NOW, pending).Put!;
    expect(put).toMatchObject({ Item: { applied: [key], pending, version: 3 }, ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': 2 } });
  });

  it('each chunk leaves the rest, or removes pending with the last, on the version read', () => {
    expect(depletions.pendingWrite('bistro', 'o1', 3, pending, NOW).Update).toMatchObject({
      Key: { pk: 'SITE#bistro#ORDER#o1', sk: 'DEPLETION' },
      UpdateExpression: 'SET version = :next, updatedAt = :now, pending = :pending',
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': 3, ':next': 4, ':pending': pending },
    });
    const last = depletions.pendingWrite('bistro', 'o1', 4, undefined, NOW).Update!;
    expect(last.UpdateExpression).toBe('SET version = :next, updatedAt = :now REMOVE pending');
    expect(last.ExpressionAttributeValues).toEqual({ ':version': 4, ':next': 5, ':now': NOW });
  });

  it('pending stays within one item: a void of 1,000 stock items fits, one of 2,000 is refused', () => {
    const voidOf = (count: number): PendingDepletion => ({
      ...pending,
      movements: Array.from({ length: count }, (_, i) => `stock-item-${String(i).padStart(4, '0')}`).flatMap((itemId): PendingMovement[] => [
        { kind: 'sale-return', itemId, location: 'walk-in', quantity: 125_000 },
        { kind: 'waste', itemId, location: 'walk-in', quantity: 125_000, reason: 'voided' },
      ]),
    });
    const state = { ...emptyDepletion('o1'), applied: [key] };
    expect(fitsOnRecord(state, voidOf(1000))).toBe(true);
    expect(fitsOnRecord(state, voidOf(2000))).toBe(false);
  });

  it('a movement id names the event, the kind, the item and the location: a retried chunk writes the same keys', () => {
    expect(movementIdOf(key, sale('flour', 'line'))).toBe('o1.order.paid.9.sale.flour.line');
  });
});
