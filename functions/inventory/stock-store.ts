// DynamoDB access for on-hand and the movement ledger (table.ts has the whole layout):
//   SITE#{site}#STOCK / ONHAND#{item}#{location}     on-hand at a location in milli-base units, version
//   SITE#{site}#ITEM#{item} / MOVE#{at}#{movement}   one movement, append-only (put only if absent)
// A movement and the on-hand it changes are written in ONE transaction, each on-hand row conditional on the version
// read, so two movements of one item never both apply to the same on-hand: the loser re-reads and recomputes
// (`retryOnConflict` in the use cases). A receipt also changes the item's average cost, computed from the item's
// whole on-hand: it is conditional on every on-hand row of the item, not only the one it changes.
// Every movement also carries the byDay index attributes (dayPk = SITE#{site}#DAY#{local date in the site's time
// zone}), which the reports read a date range by; the caller reads the zone once per request or event.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, queryPage } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents, type TransactItem } from '#shared/outbox';
import { localDateOf } from '#shared/time';
import type { ItemStock } from './ledger-rules';
import type { ItemRecord, MovementRecord } from './schemas';
import { indexKeys, inventoryKeys, partitions, stockPrefixes } from './table';

export interface OnHandRow {
  siteId: string;
  itemId: string;
  location: string;
  /** Milli-base units; below zero only after an oversell. */
  quantity: number;
  version: number;
  updatedAt: string;
}

/** An item's stock as read: its record and its on-hand rows by location. */
export interface StockRead {
  item: ItemRecord;
  rows: Map<string, OnHandRow>;
}

/** What one transaction changes for one item: the stock it read, the stock after, the movements that got it there. */
export interface StockChange {
  read: StockRead;
  after: ItemStock;
  movements: MovementRecord[];
  /** Receipts and counts: the item must still be active when the transaction commits. */
  requireActive: boolean;
}

/** An on-hand row as read, without its keys. */
export function rowOf(stored: Record<string, unknown>): OnHandRow {
  const { pk: _pk, sk: _sk, ...row } = stored;
  return row as unknown as OnHandRow;
}

export function stockOf({ item, rows }: StockRead): ItemStock {
  return {
    itemId: item.itemId,
    baseUnit: item.baseUnit,
    archived: item.archived,
    averageCost: item.averageCost,
    onHand: Object.fromEntries([...rows.values()].map((row) => [row.location, row.quantity])),
  };
}

/** A movement as stored: its ledger key, its byDay index keys (the local date of `at` in `timeZone`), the record. */
export function movementItem(movement: MovementRecord, timeZone: string): Record<string, unknown> {
  return {
    ...inventoryKeys.movement(movement.siteId, movement.itemId, movement.at, movement.movementId),
    ...indexKeys.day(movement.siteId, localDateOf(Date.parse(movement.at), timeZone), movement.at, movement.movementId),
    ...movement,
  };
}

/** A movement as read, from the table or the byDay index: the record without its keys. */
export function movementOf(stored: Record<string, unknown>): MovementRecord {
  const { pk: _pk, sk: _sk, dayPk: _dayPk, daySk: _daySk, ...movement } = stored;
  return movement as MovementRecord;
}

export class StockStore {
  constructor(
    private readonly table: string,
    private readonly topicArn: string,
  ) {}

  /** An item as stored (an Idempotency-Key's record, read with the movement's other reads). */
  async rawItem(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return Item;
  }

  /** The item's on-hand rows, read consistently (a movement decides on them). */
  async onHandOf(siteId: string, itemId: string): Promise<Map<string, OnHandRow>> {
    const { Items } = await dynamoDb().send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitions.stock(siteId), ':prefix': stockPrefixes.onHand(itemId) },
        ConsistentRead: true,
      }),
    );
    return new Map((Items ?? []).map((stored) => [stored.location as string, rowOf(stored)]));
  }

  /** On-hand rows at given (item, location) pairs, consistently, keyed `item|location`. */
  async onHandAt(siteId: string, places: ReadonlyArray<{ itemId: string; location: string }>): Promise<Map<string, OnHandRow>> {
    if (places.length === 0) return new Map();
    const found = await batchGetAll(this.table, places.map((p) => inventoryKeys.onHand(siteId, p.itemId, p.location)), { consistentRead: true });
    return new Map(found.map((stored) => [`${stored.itemId as string}|${stored.location as string}`, rowOf(stored)]));
  }

  /**
   * The transaction items of one item's change: on-hand rows, the item's cost or state condition, the movements
   * (dated for the byDay index in the site's `timeZone`).
   */
  changeWrites({ read, after, movements, requireActive }: StockChange, now: string, timeZone: string): TransactItem[] {
    const { item, rows } = read;
    const writes: TransactItem[] = [];
    const changed = new Set<string>();
    for (const [location, quantity] of Object.entries(after.onHand)) {
      const row = rows.get(location);
      if (row?.quantity === quantity || (!row && quantity === 0)) continue;
      changed.add(location);
      writes.push({
        Put: {
          TableName: this.table,
          Item: { ...inventoryKeys.onHand(item.siteId, item.itemId, location), siteId: item.siteId, itemId: item.itemId, location, quantity, version: (row?.version ?? 0) + 1, updatedAt: now },
          ...(row ? { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': row.version } } : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      });
    }
    const itemKey = inventoryKeys.item(item.siteId, item.itemId);
    if (after.averageCost !== item.averageCost) {
      // The average was computed from the whole on-hand: every row it read must still be as read.
      for (const row of rows.values()) {
        if (changed.has(row.location)) continue;
        writes.push({ ConditionCheck: { TableName: this.table, Key: inventoryKeys.onHand(item.siteId, item.itemId, row.location), ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': row.version } } });
      }
      writes.push({
        Update: {
          TableName: this.table,
          Key: itemKey,
          UpdateExpression: 'SET averageCost = :cost',
          ConditionExpression: 'averageCost = :read AND archived = :no',
          ExpressionAttributeValues: { ':cost': after.averageCost, ':read': item.averageCost, ':no': false },
        },
      });
    } else if (requireActive) {
      writes.push({ ConditionCheck: { TableName: this.table, Key: itemKey, ConditionExpression: 'archived = :no', ExpressionAttributeValues: { ':no': false } } });
    }
    for (const movement of movements) {
      writes.push({ Put: { TableName: this.table, Item: movementItem(movement, timeZone), ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    return writes;
  }

  /** `items` and the events' outbox items in one transaction; the table's stream publishes them (relay-outbox-stream.ts). */
  commit(items: TransactItem[], events: EventEnvelope[]): Promise<void> {
    return commitWithEvents({ tableName: this.table, topicArn: this.topicArn, publishedBy: 'stream' }, items, events);
  }

  /** The item's ledger, newest first; the cursor is bound to the item. */
  async movements(siteId: string, itemId: string, limit: number, cursor: string | undefined): Promise<{ movements: MovementRecord[]; nextCursor?: string }> {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitions.movements(siteId, itemId), ':prefix': 'MOVE#' },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
    );
    return { movements: page.items.map(movementOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** A page of the site's on-hand rows (of one item when given), in item then location order. */
  async onHandPage(siteId: string, itemId: string | undefined, limit: number, cursor: string | undefined): Promise<{ rows: OnHandRow[]; nextCursor?: string }> {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitions.stock(siteId), ':prefix': stockPrefixes.onHand(itemId) },
        Limit: limit,
      },
      cursor,
    );
    return { rows: page.items.map(rowOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}
