// Recording a movement by hand (receive, count, waste, transfer, adjustment): read the item and its on-hand, turn
// the typed quantities into milli-base units with the item's units, apply the ledger rules, and write the movement,
// the on-hand it changes, its event and the Idempotency-Key's response in ONE transaction conditional on what was
// read. A lost race re-reads and recomputes; a key already used replays its response.
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { conditionFailedAt, retryOnConflict } from '#shared/dynamodb';
import { ConflictError, UnprocessableError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import type { Caller } from '#shared/identity';
import { completedRecordWrite, IdempotencyKeyTakenError, replayOf, replayWinner, type IdempotentRequest } from '#shared/idempotency';
import { mulDivHalfUp } from '#shared/money';
import { siteStore, stockStore } from './config';
import { movementRecorded } from './events';
import { loadItem, onHandView } from './items';
import { applyMovement, type Movement } from './ledger-rules';
import type { adjustmentSchema, countSchema, ItemRecord, MovementRecord, receiveSchema, transferSchema, wasteSchema } from './schemas';
import { stockOf } from './stock-store';
import { MILLI, toBaseQuantity, toThousandths } from './units';

/** A movement as typed, turned into the ledger's terms once the item (its units, its locations) is known. */
export interface MovementRequest {
  toMovement: (item: ItemRecord) => Movement;
  reason?: string;
  note?: string;
}

interface Context {
  siteId: string;
  caller: Caller;
  correlationId: string;
}

/** Hand-recorded movements race only with each other and with depletions: a few quick attempts settle them. */
const MOVEMENT_ATTEMPTS = 10;

function assertLocation(item: ItemRecord, location: string): void {
  if (!item.locations.includes(location)) throw new UnprocessableError(`${item.itemId} is not kept at ${location}`, { itemId: item.itemId, location, locations: item.locations });
}

export const receiptOf = (body: z.infer<typeof receiveSchema>): MovementRequest => ({
  toMovement: (item) => {
    assertLocation(item, body.location);
    // unitCost is per `unit`: the receipt cost is unitCost × quantity, half-up to the minor unit.
    return { kind: 'receive', location: body.location, quantity: toBaseQuantity(item, body.quantity, body.unit), cost: mulDivHalfUp(body.unitCost, toThousandths(body.quantity), MILLI) };
  },
  ...(body.note ? { note: body.note } : {}),
});

export const countOf = (body: z.infer<typeof countSchema>): MovementRequest => ({
  toMovement: (item) => {
    assertLocation(item, body.location);
    const counted = body.counted.reduce((sum, amount) => sum + toBaseQuantity(item, amount.quantity, amount.unit), 0);
    return { kind: 'count', location: body.location, counted };
  },
  ...(body.note ? { note: body.note } : {}),
});

export const wasteOf = (body: z.infer<typeof wasteSchema>): MovementRequest => ({
  toMovement: (item) => {
    assertLocation(item, body.location);
    return { kind: 'waste', location: body.location, quantity: toBaseQuantity(item, body.quantity, body.unit), reason: body.reason };
  },
  reason: body.reason,
  ...(body.note ? { note: body.note } : {}),
});

export const transferOf = (body: z.infer<typeof transferSchema>): MovementRequest => ({
  toMovement: (item) => {
    assertLocation(item, body.from);
    assertLocation(item, body.to);
    return { kind: 'transfer', from: body.from, to: body.to, quantity: toBaseQuantity(item, body.quantity, body.unit) };
  },
  ...(body.note ? { note: body.note } : {}),
});

export const adjustmentOf = (body: z.infer<typeof adjustmentSchema>): MovementRequest => ({
  toMovement: (item) => {
    assertLocation(item, body.location);
    const quantity = toBaseQuantity(item, body.quantity, body.unit);
    return { kind: 'adjustment', location: body.location, delta: body.direction === 'add' ? quantity : -quantity, reason: body.reason };
  },
  reason: body.reason,
});

/** How a recorded movement answers: 201 with the movement and the item's on-hand after it. */
function respond(movement: MovementRecord, onHand: ReturnType<typeof onHandView>): HttpResult {
  return { status: 201, body: { movement, ...onHand }, headers: { location: `/sites/${movement.siteId}/inventory/items/${movement.itemId}/movements` } };
}

export async function recordMovement({ siteId, caller, correlationId }: Context, itemId: string, request: MovementRequest, idempotency: IdempotentRequest): Promise<HttpResult> {
  const movementId = randomUUID();
  const timeZone = await siteStore.timeZoneOf(siteId);
  try {
    return await retryOnConflict(
      async () => {
        const [item, rows, keyRecord] = await Promise.all([loadItem(siteId, itemId), stockStore.onHandOf(siteId, itemId), stockStore.rawItem(idempotency.itemKey)]);
        const replayed = replayOf(idempotency, keyRecord);
        if (replayed) return replayed;
        const read = { item, rows };
        const movement = request.toMovement(item);
        const applied = applyMovement(stockOf(read), movement);
        const at = new Date().toISOString();
        const record: MovementRecord = {
          siteId,
          itemId,
          movementId,
          kind: movement.kind,
          at,
          by: caller.userId,
          changes: applied.changes,
          value: applied.value,
          ...(movement.kind === 'count' ? { variance: applied.variance } : {}),
          ...(request.reason ? { reason: request.reason } : {}),
          ...(request.note ? { note: request.note } : {}),
        };
        const completed = completedRecordWrite(idempotency, respond(record, onHandView(Object.entries(applied.stock.onHand).map(([location, quantity]) => ({ location, quantity })))));
        const writes = stockStore.changeWrites({ read, after: applied.stock, movements: [record], requireActive: movement.kind === 'receive' || movement.kind === 'count' }, at, timeZone);
        try {
          await stockStore.commit([...writes, completed.write], [movementRecorded(record, item, applied.stock.averageCost, correlationId)]);
        } catch (error) {
          if (conditionFailedAt(error, writes.length)) throw new IdempotencyKeyTakenError();
          throw error;
        }
        return completed.response;
      },
      { attempts: MOVEMENT_ATTEMPTS, baseDelayMs: 5, exhausted: () => new ConflictError('The stock of this item is changing too fast; retry') },
    );
  } catch (error) {
    if (error instanceof IdempotencyKeyTakenError) return replayWinner(idempotency);
    throw error;
  }
}
