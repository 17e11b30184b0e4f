// DynamoDB access for storage locations and food-safety holds (table.ts has the whole layout):
//   SITE#{site}#STORAGE / LOCATION#{location}   the location's name and linked units, version
//   SITE#{site}#HOLDS / HOLD#{holdId}           a hold, version (every change conditional on the version read)
//   SITE#{site}#HOLDS / OPEN#{location}         the location's open hold: put only if absent when a hold opens,
//                                               deleted (conditional on naming that hold) when it closes
// So a location never has two open holds, and auto-86 finds the held locations with one query.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, queryAll, queryPage } from '#shared/dynamodb';
import type { TransactItem } from '#shared/outbox';
import type { HoldRecord, LocationRecord } from './hold-schemas';
import type { OnHandRow } from './stock-store';
import { inventoryKeys, partitions, stockPrefixes } from './table';

const strip = <T>(stored: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = stored;
  return rest as T;
};

const holdsPk = (siteId: string) => inventoryKeys.hold(siteId, '').pk;

export class HoldStore {
  constructor(private readonly table: string) {}

  /** Replaces the location's links (a PUT says the whole state), on condition it is still the version read. */
  async putLocation(record: LocationRecord): Promise<void> {
    const read = record.version - 1;
    await dynamoDb().send(
      new PutCommand({
        TableName: this.table,
        Item: { ...inventoryKeys.storageLocation(record.siteId, record.location), ...record },
        ...(read === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': read } }),
      }),
    );
  }

  async location(siteId: string, location: string): Promise<LocationRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.storageLocation(siteId, location), ConsistentRead: true }));
    return Item ? strip<LocationRecord>(Item) : undefined;
  }

  /** Every location of the site (a kitchen has a handful), in id order. */
  async locations(siteId: string): Promise<LocationRecord[]> {
    const stored = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': inventoryKeys.storageLocation(siteId, '').pk, ':prefix': 'LOCATION#' },
    });
    return stored.map((item) => strip<LocationRecord>(item));
  }

  async hold(siteId: string, holdId: string): Promise<HoldRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.hold(siteId, holdId), ConsistentRead: true }));
    return Item ? strip<HoldRecord>(Item) : undefined;
  }

  /** location → its open hold's id, read consistently (auto-86 decides on it). */
  async openHolds(siteId: string): Promise<Map<string, string>> {
    const stored = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': holdsPk(siteId), ':prefix': 'OPEN#' },
      ConsistentRead: true,
    });
    return new Map(stored.map((item) => [item.location as string, item.holdId as string]));
  }

  async holdsById(siteId: string, holdIds: readonly string[]): Promise<HoldRecord[]> {
    if (holdIds.length === 0) return [];
    const found = await batchGetAll(this.table, holdIds.map((holdId) => inventoryKeys.hold(siteId, holdId)));
    return found.map((item) => strip<HoldRecord>(item));
  }

  /** A page of the holds that are no longer open, newest first (hold ids begin with their time). */
  async closedHolds(siteId: string, limit: number, cursor: string | undefined): Promise<{ holds: HoldRecord[]; nextCursor?: string }> {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status <> :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': holdsPk(siteId), ':prefix': 'HOLD#', ':open': 'open' },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
    );
    return { holds: page.items.map((item) => strip<HoldRecord>(item)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** The site's on-hand rows at one location, consistently: what a hold lists. */
  async onHandAt(siteId: string, location: string): Promise<OnHandRow[]> {
    const stored = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#location = :location',
      ExpressionAttributeNames: { '#location': 'location' },
      ExpressionAttributeValues: { ':pk': partitions.stock(siteId), ':prefix': stockPrefixes.onHand(), ':location': location },
      ConsistentRead: true,
    });
    return stored.map((item) => strip<OnHandRow>(item));
  }

  /** Opening: the hold (only if its id is new) and the location's open-hold marker (only if none is open). */
  openWrites(hold: HoldRecord): TransactItem[] {
    return [
      { Put: { TableName: this.table, Item: { ...inventoryKeys.hold(hold.siteId, hold.holdId), ...hold }, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: this.table,
          Item: { ...inventoryKeys.openHold(hold.siteId, hold.location), siteId: hold.siteId, location: hold.location, holdId: hold.holdId, heldAt: hold.heldAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /** The hold as changed, on the version read; when it closes, its location's marker goes with it. */
  updateWrites(read: HoldRecord, next: HoldRecord): TransactItem[] {
    const writes: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...inventoryKeys.hold(next.siteId, next.holdId), ...next },
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': read.version },
        },
      },
    ];
    if (next.status !== 'open') {
      writes.push({
        Delete: {
          TableName: this.table,
          Key: inventoryKeys.openHold(next.siteId, next.location),
          ConditionExpression: 'holdId = :holdId',
          ExpressionAttributeValues: { ':holdId': next.holdId },
        },
      });
    }
    return writes;
  }
}
