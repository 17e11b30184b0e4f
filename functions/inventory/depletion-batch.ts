// Depleting a batch of orders events (depleteFromOrders: up to 25 from the depletion queue) in as few transactions
// as they allow, instead of a read and a transaction per event. A round takes the first event still to do of each
// order, reads every order's depletion record and the stock items named in one BatchGetItem, decides each with the
// same rules as depletion.ts, and commits them together: records, on-hand rows, movements, their events, and one
// counting update per issue for all of them (depletion-store.ts issueWrites).
// A combined transaction commits every event in it or none. If it fails (a lost race, an event applied meanwhile
// by a redelivery), nothing was written, and each of its events goes through depleteFromEvent alone, which re-reads
// and retries as before. Also alone: an event whose record holds `pending`, one needing more than one transaction,
// and one whose plan could not be made (its error is then the one reported). An event whose writes touch an item
// another event of the transaction writes (the same on-hand row, the same stock item) waits for the next round,
// which reads again; so does an order's next event.
import type { EventEnvelope } from '#shared/events';
import { logger } from '#shared/logger';
import type { TransactItem } from '#shared/outbox';
import { depletionStore, siteStore, stockStore } from './config';
import { isDone, MAX_TRANSACTION_ITEMS, nextChunk } from './depletion-chunks';
import { chunkWrites, depletable, depleteFromEvent, ingredientsOf, type DepletionOutcome } from './depletion';
import { deplete, type DepletingEvent, type Unresolved } from './depletion-rules';

/** DynamoDB's limit on a transaction's request is 4 MB; the items' JSON stands for their size, with room to spare. */
const MAX_TRANSACTION_BYTES = 3_000_000;

/** An event decided in a round, with everything it writes if it commits in the combined transaction. */
interface Plan {
  index: number;
  record: TransactItem;
  writes: TransactItem[];
  events: EventEnvelope[];
  issues: { siteId: string; orderId: string; unresolved: Unresolved };
  movements: number;
}

type RoundOutcome = { done: DepletionOutcome } | { alone: true } | { next: true };

/** Each event's outcome, in the order given: what it did, or why it failed (its message comes back from SQS). */
export async function depleteBatch(events: readonly DepletingEvent[]): Promise<Array<PromiseSettledResult<DepletionOutcome>>> {
  const outcomes = new Map<number, PromiseSettledResult<DepletionOutcome>>();
  let todo = events.map((_, index) => index);
  while (todo.length > 0) {
    const orders = new Set<string>();
    const round = todo.filter((index) => {
      const order = `${events[index]!.siteId}#${events[index]!.data.orderId}`;
      return !orders.has(order) && Boolean(orders.add(order));
    });
    const results = await combinedRound(round.map((index) => ({ index, event: events[index]! }))).catch((error: unknown) => {
      // The round's read failed (throttled, say): each event alone, with its own retries.
      logger.warn('combined depletion round failed; each event alone', { events: round.length, error: error as Error });
      return new Map<number, RoundOutcome>(round.map((index) => [index, { alone: true }]));
    });
    const alone = round.filter((index) => 'alone' in results.get(index)!);
    for (const index of round) {
      const result = results.get(index)!;
      if ('done' in result) outcomes.set(index, { status: 'fulfilled', value: result.done });
    }
    // Distinct orders: alone, they run at once, as separate deliveries would.
    const settled = await Promise.allSettled(alone.map((index) => depleteFromEvent(events[index]!)));
    for (const [i, index] of alone.entries()) outcomes.set(index, settled[i]!);
    todo = todo.filter((index) => !outcomes.has(index));
  }
  return events.map((_, index) => outcomes.get(index)!);
}

async function combinedRound(round: ReadonlyArray<{ index: number; event: DepletingEvent }>): Promise<Map<number, RoundOutcome>> {
  const results = new Map<number, RoundOutcome>();
  const reads = await depletionStore.readMany(round.map(({ event }) => ({ siteId: event.siteId, orderId: event.data.orderId, itemIds: ingredientsOf(event) })));
  const sites = [...new Set(round.map(({ event }) => event.siteId))];
  const timeZones = new Map(await Promise.all(sites.map(async (siteId) => [siteId, await siteStore.timeZoneOf(siteId)] as const)));

  const plans = await Promise.all(
    round.map(async ({ index, event }, i): Promise<Plan | undefined> => {
      const { siteId } = event;
      const { orderId } = event.data;
      const { record, items } = reads[i]!;
      if (record?.pending) return alone(index);
      const result = deplete(record?.state, event, new Map([...items.values()].map((item) => [item.itemId, depletable(item)])));
      if (result.replay) {
        results.set(index, { done: { replay: true, movements: 0 } });
        return undefined;
      }
      const at = new Date().toISOString();
      const { now, later } = nextChunk({ movements: result.movements.map(({ lineIds: _lineIds, ...move }) => move), unresolved: result.unresolved });
      if (!isDone(later)) return alone(index);
      try {
        const { writes, events: published } = await chunkWrites(siteId, orderId, { key: result.key, at, correlationId: event.correlationId }, now, items, timeZones.get(siteId)!);
        const recordWrite = depletionStore.recordWrite(siteId, result.state, record?.version, at);
        return { index, record: recordWrite, writes, events: published, issues: { siteId, orderId, unresolved: now.unresolved }, movements: result.movements.length };
      } catch {
        return alone(index); // alone, it fails again with the same error, reported for this event only
      }
    }),
  );
  function alone(index: number): undefined {
    results.set(index, { alone: true });
    return undefined;
  }

  const taken: Plan[] = [];
  const written = new Set<string>();
  let bytes = 0;
  for (const plan of plans) {
    if (!plan) continue;
    const keys = [plan.record, ...plan.writes].map(itemKeyOf);
    const size = Buffer.byteLength(JSON.stringify([plan.record, plan.writes, plan.events]));
    const count = taken.length + 1 + [...taken, plan].reduce((n, p) => n + p.writes.length + p.events.length, 0) + depletionStore.issueWrites([...taken, plan].map((p) => p.issues), '').length;
    if (keys.some((key) => written.has(key)) || (taken.length > 0 && (count > MAX_TRANSACTION_ITEMS || bytes + size > MAX_TRANSACTION_BYTES))) {
      results.set(plan.index, { next: true });
      continue;
    }
    taken.push(plan);
    for (const key of keys) written.add(key);
    bytes += size;
  }
  if (taken.length === 0) return results;

  const issues = depletionStore.issueWrites(
    taken.map((plan) => plan.issues),
    new Date().toISOString(),
  );
  try {
    await stockStore.commit([...taken.map((plan) => plan.record), ...taken.flatMap((plan) => plan.writes), ...issues], taken.flatMap((plan) => plan.events));
    for (const plan of taken) results.set(plan.index, { done: { replay: false, movements: plan.movements } });
  } catch (error) {
    logger.info('combined depletion not committed; each event alone', { events: taken.length, error: (error as Error).name });
    for (const plan of taken) results.set(plan.index, { alone: true });
  }
  return results;
}

/** The table item a transaction item names: two in one transaction is a ValidationException. */
function itemKeyOf(item: TransactItem): string {
  const key = item.Put ? { pk: item.Put.Item?.pk, sk: item.Put.Item?.sk } : (item.Update ?? item.Delete ?? item.ConditionCheck)?.Key;
  const table = (item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck)?.TableName;
  return `${table}|${String(key?.pk)}|${String(key?.sk)}`;
}
