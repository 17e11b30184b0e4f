// DynamoDB access for suppliers and what they sell (table.ts has the whole layout):
//   SITE#{site}#SUPPLIERS / SUPPLIER#{supplier}           the supplier, version; the site's suppliers are one query
//   SITE#{site}#SUPPLIER#{supplier} / OFFER#{item}        what it sells the item in, the price now, version
//   SITE#{site}#SUPPLIER#{supplier} / PRICE#{item}#{at}   one price of the item's history, put only if absent
//   SITE#{site}#STOCK / PREFERRED#{item}                  the supplier the item's drafts go to
// An offer is written on the version read (or on being absent), with its price history entry and the preferred
// supplier in the same transaction: of two concurrent price changes one commits and the other is a 409, so the
// history never misses a price the offer had. A supplier edit changes only the fields it names (UpdateItem).
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, conditionFailedAt, isConditionFailure, queryAll, queryPage, updateOnVersion, VersionConflictError } from '#shared/dynamodb';
import { ConflictError } from '#shared/errors';
import type { TransactItem } from '#shared/outbox';
import type { OfferRecord, PriceEntry, SupplierEdit, SupplierRecord } from './schemas';
import { inventoryKeys, partitions, stockPrefixes } from './table';

const OFFER_PREFIX = 'OFFER#';
const pricePrefix = (itemId: string) => `PRICE#${itemId}#`;

function recordOf<T>(stored: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...record } = stored;
  return record as T;
}

export class SupplierStore {
  constructor(private readonly table: string) {}

  /** A new supplier, on condition its id is free at this site. */
  async create(supplier: SupplierRecord): Promise<void> {
    try {
      await dynamoDb().send(
        new PutCommand({ TableName: this.table, Item: { ...inventoryKeys.supplier(supplier.siteId, supplier.supplierId), ...supplier }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Supplier ${supplier.supplierId} already exists`, { supplierId: supplier.supplierId });
      throw error;
    }
  }

  async get(siteId: string, supplierId: string): Promise<SupplierRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.supplier(siteId, supplierId), ConsistentRead: true }));
    return Item ? recordOf<SupplierRecord>(Item) : undefined;
  }

  /** The edit on condition that the supplier is still at `version`; returns the supplier after it. */
  async update(siteId: string, supplierId: string, version: number, edit: SupplierEdit, now: string): Promise<SupplierRecord> {
    const after = await updateOnVersion(this.table, inventoryKeys.supplier(siteId, supplierId), version, { ...edit, updatedAt: now, version: version + 1 }, 'supplier', { supplierId });
    return recordOf<SupplierRecord>(after);
  }

  /** A page of the site's suppliers in id order; the cursor is bound to the site. */
  async list(siteId: string, limit: number, cursor: string | undefined): Promise<{ suppliers: SupplierRecord[]; nextCursor?: string }> {
    const page = await queryPage(
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitions.suppliers(siteId) }, Limit: limit },
      cursor,
    );
    return { suppliers: page.items.map((stored) => recordOf<SupplierRecord>(stored)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** Every supplier of the site (the low-stock job's delivery schedules). */
  async all(siteId: string): Promise<SupplierRecord[]> {
    const stored = await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitions.suppliers(siteId) } });
    return stored.map((item) => recordOf<SupplierRecord>(item));
  }

  async offer(siteId: string, supplierId: string, itemId: string): Promise<OfferRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.offer(siteId, supplierId, itemId), ConsistentRead: true }));
    return Item ? recordOf<OfferRecord>(Item) : undefined;
  }

  /** Everything the supplier sells, in item order. */
  async offersOf(siteId: string, supplierId: string): Promise<OfferRecord[]> {
    const stored = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.offers(siteId, supplierId), ':prefix': OFFER_PREFIX },
    });
    return stored.map((item) => recordOf<OfferRecord>(item));
  }

  /** Offers by (supplier, item) pairs, keyed `supplier|item`. */
  async offersAt(siteId: string, pairs: ReadonlyArray<{ supplierId: string; itemId: string }>): Promise<Map<string, OfferRecord>> {
    if (pairs.length === 0) return new Map();
    const found = await batchGetAll(this.table, pairs.map((p) => inventoryKeys.offer(siteId, p.supplierId, p.itemId)));
    return new Map(found.map((stored) => [`${stored.supplierId as string}|${stored.itemId as string}`, recordOf<OfferRecord>(stored)]));
  }

  /** The preferred supplier of each item that has one: item → supplier. */
  async preferredSuppliers(siteId: string): Promise<Map<string, string>> {
    const stored = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.stock(siteId), ':prefix': stockPrefixes.preferred },
    });
    return new Map(stored.map((item) => [item.itemId as string, item.supplierId as string]));
  }

  async preferredSupplierOf(siteId: string, itemId: string): Promise<string | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.preferredSupplier(siteId, itemId), ConsistentRead: true }));
    return Item?.supplierId as string | undefined;
  }

  /**
   * The offer, on condition it is still as read (`readVersion`, or absent when undefined); with the price entry
   * (only if absent: one per instant) when the price changed, and the item's preferred supplier when `preferred`
   * says so: 'set' makes this supplier the one, 'if-none' only when the item has none yet.
   */
  async putOffer(offer: OfferRecord, readVersion: number | undefined, price: PriceEntry | undefined, preferred: 'set' | 'if-none' | 'keep'): Promise<void> {
    const { siteId, supplierId, itemId } = offer;
    const writes: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...inventoryKeys.offer(siteId, supplierId, itemId), ...offer },
          ...(readVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': readVersion } }),
        },
      },
    ];
    if (price) {
      writes.push({
        Put: { TableName: this.table, Item: { ...inventoryKeys.price(siteId, supplierId, itemId, price.at), siteId, supplierId, itemId, ...price }, ConditionExpression: 'attribute_not_exists(pk)' },
      });
    }
    if (preferred !== 'keep') {
      writes.push({
        Put: {
          TableName: this.table,
          Item: { ...inventoryKeys.preferredSupplier(siteId, itemId), siteId, itemId, supplierId, updatedAt: offer.updatedAt },
          ...(preferred === 'if-none' ? { ConditionExpression: 'attribute_not_exists(pk) OR supplierId = :supplier', ExpressionAttributeValues: { ':supplier': supplierId } } : {}),
        },
      });
    }
    try {
      // No event: prices are the purchasing clerk's reference, nothing other domains act on.
      await dynamoDb().send(new TransactWriteCommand({ TransactItems: writes }));
    } catch (error) {
      if (preferred === 'if-none' && conditionFailedAt(error, writes.length - 1)) {
        // Another supplier became the preferred one meanwhile: keep it, and write the offer alone.
        return this.putOffer(offer, readVersion, price, 'keep');
      }
      if (isConditionFailure(error)) throw new VersionConflictError('offer', { supplierId, itemId });
      throw error;
    }
  }

  /** The item's prices at this supplier, newest first; the cursor is bound to the offer. */
  async prices(siteId: string, supplierId: string, itemId: string, limit: number, cursor: string | undefined): Promise<{ prices: PriceEntry[]; nextCursor?: string }> {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitions.offers(siteId, supplierId), ':prefix': pricePrefix(itemId) },
        ProjectionExpression: 'packPrice, #at, #by',
        ExpressionAttributeNames: { '#at': 'at', '#by': 'by' },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
    );
    return { prices: page.items.map((stored) => recordOf<PriceEntry>(stored)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}
