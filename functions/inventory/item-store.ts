// DynamoDB access for stock items (table.ts has the whole layout):
//   SITE#{site}#STOCK / ITEM#{item}    the item record (schemas.ts itemRecordSchema), version
// An edit changes only the fields a manager owns (UpdateItem, conditional on the version read): the average cost
// belongs to receipts (stock-store.ts), which change it without a version bump, so neither overwrites the other.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, isConditionFailure, queryPage, updateOnVersion } from '#shared/dynamodb';
import { ConflictError } from '#shared/errors';
import type { ItemRecord } from './schemas';
import { inventoryKeys, partitions, stockPrefixes } from './table';

/** What a manager may change on an item; the rest is fixed at creation or kept by the ledger. */
export type ItemEdit = Partial<Pick<ItemRecord, 'name' | 'category' | 'par' | 'reorderPoint' | 'shelfLifeDays' | 'archived'>>;

export function itemOf(stored: Record<string, unknown>): ItemRecord {
  const { pk: _pk, sk: _sk, ...record } = stored;
  return record as ItemRecord;
}

export class ItemStore {
  constructor(private readonly table: string) {}

  async get(siteId: string, itemId: string): Promise<ItemRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.item(siteId, itemId), ConsistentRead: true }));
    return Item ? itemOf(Item) : undefined;
  }

  async getMany(siteId: string, itemIds: readonly string[]): Promise<Map<string, ItemRecord>> {
    if (itemIds.length === 0) return new Map();
    const found = await batchGetAll(this.table, itemIds.map((itemId) => inventoryKeys.item(siteId, itemId)), { consistentRead: true });
    return new Map(found.map((stored) => [stored.itemId as string, itemOf(stored)]));
  }

  /**
   * A new item, on condition its id is free; the ingredient it resolves leaves the depletion issues in the same
   * transaction (a recipe that named it before it existed is answered now).
   */
  async create(item: ItemRecord): Promise<void> {
    const TransactItems = [
      { Put: { TableName: this.table, Item: { ...inventoryKeys.item(item.siteId, item.itemId), ...item }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Delete: { TableName: this.table, Key: inventoryKeys.unknownIngredient(item.siteId, item.itemId) } },
    ];
    try {
      // No event: an item nobody has moved yet is nothing to analytics.
      await dynamoDb().send(new TransactWriteCommand({ TransactItems }));
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Stock item ${item.itemId} already exists`, { itemId: item.itemId });
      throw error;
    }
  }

  /** The edit on condition that the item is still at `version`; returns the item after it. */
  async update(siteId: string, itemId: string, version: number, edit: ItemEdit, now: string): Promise<ItemRecord> {
    return itemOf(await updateOnVersion(this.table, inventoryKeys.item(siteId, itemId), version, { ...edit, updatedAt: now, version: version + 1 }, 'stock item', { itemId }));
  }

  /** A page of the site's items in id order; the cursor is bound to the site (shared/dynamodb.ts queryPage). */
  async list(siteId: string, limit: number, cursor: string | undefined): Promise<{ items: ItemRecord[]; nextCursor?: string }> {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitions.stock(siteId), ':prefix': stockPrefixes.items },
        Limit: limit,
      },
      cursor,
    );
    return { items: page.items.map(itemOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}
