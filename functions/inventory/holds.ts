// Food-safety hold use cases (hold-rules.ts has the life of a hold): link units to storage locations, hold a
// location's stock when a linked unit starts an excursion or a manager says so, release it, or discard it as
// `quarantined` waste. Each change is one transaction conditional on what was read (discarding a large location:
// a few, each recording its progress on the hold); after a hold opens or is released, auto-86 judges the items it
// names again (availability.ts), since held stock is not sellable.
import { randomUUID } from 'node:crypto';
import { conditionFailedAt, retryOnConflict } from '#shared/dynamodb';
import type { EventOf } from '#shared/contracts';
import type { EventEnvelope } from '#shared/events';
import { ConflictError, NotFoundError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import type { Caller } from '#shared/identity';
import { completedRecordWrite, IdempotencyKeyTakenError, replayOf, replayWinner, type IdempotentRequest } from '#shared/idempotency';
import { logger } from '#shared/logger';
import type { TransactItem } from '#shared/outbox';
import { reviewAvailability } from './availability';
import { holdStore, itemStore, siteStore, stockStore } from './config';
import { movementRecorded, stockHeld } from './events';
import { assertOpen, DISCARD_ITEMS_PER_TRANSACTION, discardLines, excursionReason, heldQuantities, holdIdFor, locationsOfDevice } from './hold-rules';
import type { DiscardedItem, HoldRecord, LocationRecord } from './hold-schemas';
import { applyMovement, valueAt } from './ledger-rules';
import type { MovementRecord } from './schemas';
import { stockOf } from './stock-store';
import { MILLI } from './units';

interface Context {
  siteId: string;
  caller: Caller;
  correlationId: string;
}

const HOLD_ATTEMPTS = 10;
const conflictExhausted = () => new ConflictError('This hold is changing too fast; retry');

/** A hold as a response shows it: quantities as decimals of the item's base unit. */
export function publicHold(hold: HoldRecord) {
  return {
    ...hold,
    items: hold.items.map((i) => ({ ...i, quantity: i.quantity / MILLI })),
    ...(hold.discarded ? { discarded: hold.discarded.map((d) => ({ ...d, quantity: d.quantity / MILLI, gone: d.gone / MILLI })) } : {}),
  };
}

// --- locations -----------------------------------------------------------------------------------------------------

/** The last of two concurrent PUTs wins, and each gets its own version. */
export function linkLocation(siteId: string, location: string, input: { deviceIds: string[]; name?: string }, caller: Caller): Promise<LocationRecord> {
  return retryOnConflict(
    async () => {
      const record: LocationRecord = {
        siteId,
        location,
        ...(input.name ? { name: input.name } : {}),
        deviceIds: input.deviceIds,
        version: ((await holdStore.location(siteId, location))?.version ?? 0) + 1,
        updatedAt: new Date().toISOString(),
        updatedBy: caller.userId,
      };
      await holdStore.putLocation(record);
      return record;
    },
    { attempts: HOLD_ATTEMPTS, baseDelayMs: 10, exhausted: () => new ConflictError('This location is changing too fast; retry') },
  );
}

/** The site's locations with their linked units and open hold, if any. */
export async function listLocations(siteId: string) {
  const [locations, open] = await Promise.all([holdStore.locations(siteId), holdStore.openHolds(siteId)]);
  return { locations: locations.map((l) => ({ ...l, openHoldId: open.get(l.location) ?? null })) };
}

// --- opening -------------------------------------------------------------------------------------------------------

type HoldSpec = Pick<HoldRecord, 'siteId' | 'holdId' | 'location' | 'locationName' | 'cause' | 'reason' | 'incidentId' | 'deviceId' | 'heldBy' | 'heldAt'>;
type Opened = { outcome: 'opened' | 'already-open'; hold: HoldRecord } | { outcome: 'location-held'; holdId: string };

/** Opens the hold `spec` names, listing what is on hand at its location now; a hold already open stays as it is. */
async function openHold(spec: HoldSpec, correlationId: string): Promise<Opened> {
  return retryOnConflict(
    async () => {
      const held = heldQuantities(await holdStore.onHandAt(spec.siteId, spec.location));
      const items = await itemStore.getMany(spec.siteId, held.map((h) => h.itemId));
      const listed = held.flatMap((h) => {
        const item = items.get(h.itemId);
        return item ? [{ item, held: h }] : [];
      });
      const { locationName, incidentId, deviceId, ...required } = spec;
      const hold: HoldRecord = {
        ...required,
        ...(locationName ? { locationName } : {}),
        ...(incidentId ? { incidentId } : {}),
        ...(deviceId ? { deviceId } : {}),
        status: 'open',
        items: listed.map(({ item, held: h }) => ({ itemId: item.itemId, itemName: item.name, unit: item.baseUnit, quantity: h.quantity })),
        value: listed.reduce((sum, { item, held: h }) => sum + valueAt(h.quantity, item.averageCost), 0),
        version: 1,
      };
      try {
        await stockStore.commit(holdStore.openWrites(hold), [stockHeld(hold, correlationId)]);
        return { outcome: 'opened', hold };
      } catch (error) {
        if (conditionFailedAt(error, 0)) {
          const existing = await holdStore.hold(spec.siteId, spec.holdId);
          if (existing) return { outcome: 'already-open', hold: existing };
        }
        if (conditionFailedAt(error, 1)) {
          const holdId = (await holdStore.openHolds(spec.siteId)).get(spec.location);
          if (holdId) return { outcome: 'location-held', holdId };
        }
        throw error; // a conflict, or the marker vanished meanwhile: read again
      }
    },
    { attempts: HOLD_ATTEMPTS, baseDelayMs: 10, exhausted: conflictExhausted },
  );
}

/** Auto-86 judges the held items again; a failure is logged: their next movement reviews them anyway. */
async function reviewItems(siteId: string, holds: readonly HoldRecord[], correlationId: string, { failLoudly = false } = {}): Promise<void> {
  const ingredientIds = new Set(holds.flatMap((h) => h.items.map((i) => i.itemId)));
  if (ingredientIds.size === 0) return;
  try {
    const { takenOff, restored } = await reviewAvailability(siteId, { ingredientIds }, correlationId);
    if (takenOff.length + restored.length > 0) logger.info('menu availability announced after a hold', { siteId, takenOff, restored });
  } catch (error) {
    if (failLoudly) throw error;
    logger.warn('auto-86 review after a hold failed; the items are judged again on their next movement', { siteId, error: error as Error });
  }
}

/** iot.excursion-started: a hold on every location the unit is linked to. Returns the holds opened or found open. */
export async function holdForExcursion(event: EventOf<'iot.excursion-started'>): Promise<{ opened: string[]; alreadyOpen: string[]; locationHeld: string[] }> {
  const { siteId, data, correlationId } = event;
  const linked = locationsOfDevice(await holdStore.locations(siteId), data.deviceId);
  const result = { opened: [] as string[], alreadyOpen: [] as string[], locationHeld: [] as string[] };
  const holds: HoldRecord[] = [];
  for (const link of linked) {
    const opened = await openHold(
      {
        siteId,
        holdId: holdIdFor(data.startedAt, `incident:${data.incidentId}`, link.location),
        location: link.location,
        locationName: link.name,
        cause: 'excursion',
        reason: excursionReason(data),
        incidentId: data.incidentId,
        deviceId: data.deviceId,
        heldBy: 'iot',
        heldAt: new Date().toISOString(),
      },
      correlationId,
    );
    if (opened.outcome === 'location-held') {
      result.locationHeld.push(link.location);
      continue;
    }
    holds.push(opened.hold);
    (opened.outcome === 'opened' ? result.opened : result.alreadyOpen).push(opened.hold.holdId);
  }
  // A redelivery reviews too: the first delivery may have failed between its hold and its review.
  await reviewItems(siteId, holds, correlationId, { failLoudly: true });
  return result;
}

/** A manager holds a location by hand: a location registered here, or one where stock is kept. */
export async function holdByHand({ siteId, caller, correlationId }: Context, input: { location: string; reason: string }): Promise<HoldRecord> {
  const [link, rows] = await Promise.all([holdStore.location(siteId, input.location), holdStore.onHandAt(siteId, input.location)]);
  if (!link && rows.length === 0) throw new NotFoundError(`No storage location ${input.location} at this site`);
  const heldAt = new Date().toISOString();
  const opened = await openHold(
    {
      siteId,
      holdId: holdIdFor(heldAt, `manual:${randomUUID()}`, input.location),
      location: input.location,
      locationName: link?.name,
      cause: 'manual',
      reason: input.reason,
      heldBy: caller.userId,
      heldAt,
    },
    correlationId,
  );
  if (opened.outcome === 'location-held') throw new ConflictError(`${input.location} is already held`, { location: input.location, holdId: opened.holdId });
  await reviewItems(siteId, [opened.hold], correlationId);
  return opened.hold;
}

// --- closing -------------------------------------------------------------------------------------------------------

async function loadHold(siteId: string, holdId: string): Promise<HoldRecord> {
  const hold = await holdStore.hold(siteId, holdId);
  if (!hold) throw new NotFoundError('Hold not found');
  return hold;
}

const closing = (hold: HoldRecord, status: 'released' | 'discarded', caller: Caller, at: string, note: string | undefined): HoldRecord => ({
  ...hold,
  status,
  closedBy: caller.userId,
  closedAt: at,
  ...(note ? { note } : {}),
});

/** The stock is fine: it counts again. */
export async function releaseHold({ siteId, caller, correlationId }: Context, holdId: string, note: string | undefined): Promise<HoldRecord> {
  const released = await retryOnConflict(
    async () => {
      const hold = await loadHold(siteId, holdId);
      assertOpen(hold);
      const next = { ...closing(hold, 'released', caller, new Date().toISOString(), note), version: hold.version + 1 };
      await stockStore.commit(holdStore.updateWrites(hold, next), []);
      return next;
    },
    { attempts: HOLD_ATTEMPTS, baseDelayMs: 10, exhausted: conflictExhausted },
  );
  await reviewItems(siteId, [released], correlationId);
  return released;
}

/**
 * `quarantined` waste of each held item at the location (what is there now, up to the quantity held), at the
 * average cost, with on-hand in the same transaction; a location of many items takes several transactions, each
 * recording its items on the hold, so a retry with the same Idempotency-Key carries on where one stopped. The last
 * closes the hold and stores the response under the key.
 */
export async function discardHold(context: Context, holdId: string, note: string | undefined, idempotency: IdempotentRequest): Promise<HttpResult> {
  const timeZone = await siteStore.timeZoneOf(context.siteId);
  try {
    for (;;) {
      const done = await retryOnConflict(() => discardStep(context, holdId, note, idempotency, timeZone), { attempts: HOLD_ATTEMPTS, baseDelayMs: 10, exhausted: conflictExhausted });
      if (done) return done;
    }
  } catch (error) {
    if (error instanceof IdempotencyKeyTakenError) return replayWinner(idempotency);
    throw error;
  }
}

/** One transaction of a discard: the response once the hold is discarded, undefined while items remain. */
async function discardStep({ siteId, caller, correlationId }: Context, holdId: string, note: string | undefined, idempotency: IdempotentRequest, timeZone: string): Promise<HttpResult | undefined> {
  const [hold, keyRecord] = await Promise.all([loadHold(siteId, holdId), stockStore.rawItem(idempotency.itemKey)]);
  const replayed = replayOf(idempotency, keyRecord);
  if (replayed) return replayed;
  assertOpen(hold);
  const done = new Set((hold.discarded ?? []).map((d) => d.itemId));
  const pending = hold.items.filter((i) => !done.has(i.itemId));
  const batch = pending.slice(0, DISCARD_ITEMS_PER_TRANSACTION);
  const last = pending.length === batch.length;
  const [items, rows] = await Promise.all([
    itemStore.getMany(siteId, batch.map((i) => i.itemId)),
    stockStore.onHandAt(siteId, batch.map((i) => ({ itemId: i.itemId, location: hold.location }))),
  ]);
  const rowOf = (itemId: string) => rows.get(`${itemId}|${hold.location}`);
  const lines = discardLines(batch, new Map(batch.map((i) => [i.itemId, rowOf(i.itemId)?.quantity ?? 0])));
  const at = new Date().toISOString();
  const writes: TransactItem[] = [];
  const events: EventEnvelope[] = [];
  const discarded: DiscardedItem[] = [];
  for (const line of lines) {
    const item = items.get(line.itemId);
    const row = rowOf(line.itemId);
    const movementId = `${holdId}.discard.${line.itemId}`;
    if (!item || !row || line.quantity === 0) {
      discarded.push({ itemId: line.itemId, quantity: 0, gone: line.gone + line.quantity, value: 0, movementId });
      continue;
    }
    const read = { item, rows: new Map([[hold.location, row]]) };
    const applied = applyMovement(stockOf(read), { kind: 'waste', location: hold.location, quantity: line.quantity, reason: 'quarantined' });
    const record: MovementRecord = { siteId, itemId: item.itemId, movementId, kind: 'waste', at, by: caller.userId, changes: applied.changes, value: applied.value, reason: 'quarantined', note: `food-safety hold ${holdId}` };
    writes.push(...stockStore.changeWrites({ read, after: applied.stock, movements: [record], requireActive: false }, at, timeZone));
    events.push(movementRecorded(record, item, item.averageCost, correlationId));
    discarded.push({ itemId: item.itemId, quantity: line.quantity, gone: line.gone, value: applied.value, movementId });
  }
  const progressed = { ...hold, discarded: [...(hold.discarded ?? []), ...discarded], version: hold.version + 1 };
  const next = last ? closing(progressed, 'discarded', caller, at, note) : progressed;
  const holdWrites = holdStore.updateWrites(hold, next);
  if (!last) {
    await stockStore.commit([...holdWrites, ...writes], events);
    return undefined;
  }
  const completed = completedRecordWrite(idempotency, { status: 200, body: { hold: publicHold(next) } });
  try {
    await stockStore.commit([completed.write, ...holdWrites, ...writes], events);
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new IdempotencyKeyTakenError();
    throw error;
  }
  return completed.response;
}

/** The site's holds: every open one first (newest first), then the closed ones page by page, newest first. */
export async function listHolds(siteId: string, query: { limit: number; cursor?: string }) {
  const open = query.cursor ? [] : await holdStore.holdsById(siteId, [...(await holdStore.openHolds(siteId)).values()]);
  const closed = await holdStore.closedHolds(siteId, query.limit, query.cursor);
  const newestFirst = (a: HoldRecord, b: HoldRecord) => (a.holdId < b.holdId ? 1 : a.holdId > b.holdId ? -1 : 0);
  return { holds: [...open.sort(newestFirst), ...closed.holds].map(publicHold), ...(closed.nextCursor ? { nextCursor: closed.nextCursor } : {}) };
}
