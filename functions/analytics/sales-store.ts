// The sales counters (table.ts has the layout): written only by ADD, each event's in one transaction with its
// receipt, so a redelivered event counts once and two orders at once both count (ADD commutes).
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, conditionFailedAt, isTransactionConflict, queryAll, retryOnConflict, type Item } from '#shared/dynamodb';
import { rollupsOf, type Counters, type ItemSale, type SalesDelta } from './sales-rules';
import { analyticsKeys, NOT_COUNTERS, type TableKey } from './table';

type Write = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of actions in one TransactWriteItems. */
export const TRANSACTION_LIMIT = 100;
const RECEIPT_TTL_SECONDS = 35 * 24 * 60 * 60;

export interface ItemFigures {
  itemId: string;
  name: string;
  quantity: number;
  revenue: number;
}

function addCounters(table: string, key: TableKey, counters: Counters, currency?: string): Write {
  const names = Object.keys(counters);
  const set = currency ? ' SET #currency = :currency' : '';
  return {
    Update: {
      TableName: table,
      Key: key,
      // Counter names carry `#` and ids: always as placeholders.
      UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}${set}`,
      ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])), ...(currency ? { '#currency': 'currency' } : {}) },
      ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:c${i}`, counters[name]])), ...(currency ? { ':currency': currency } : {}) },
    },
  };
}

function addItemSale(table: string, siteId: string, date: string, sale: ItemSale): Write {
  return {
    Update: {
      TableName: table,
      Key: analyticsKeys.item(siteId, date, sale.itemId),
      UpdateExpression: 'ADD #quantity :q, #revenue :r SET #name = :name',
      ExpressionAttributeNames: { '#quantity': 'quantity', '#revenue': 'revenue', '#name': 'name' },
      ExpressionAttributeValues: { ':q': sale.quantity, ':r': sale.revenue, ':name': sale.name },
    },
  };
}

/** Counters of an item as read: every numeric attribute but the key's. */
function countersOf(item: Item): Counters {
  return Object.fromEntries(Object.entries(item).filter(([name, value]) => !NOT_COUNTERS.has(name) && typeof value === 'number')) as Counters;
}

/**
 * The writes of one event in parts that each fit a transaction beside their receipt: the summary counters and as
 * many menu items as fit in the first, the rest of the items in further parts.
 */
export function transactionParts<T>(summary: readonly T[], items: readonly T[], room = TRANSACTION_LIMIT - 1): T[][] {
  const parts: T[][] = [];
  let part = [...summary];
  for (const item of items) {
    if (part.length === room) {
      parts.push(part);
      part = [];
    }
    part.push(item);
  }
  parts.push(part);
  return parts;
}

/** The counter writes of `delta` at `siteId`, split so that each part and its receipt fit one transaction. */
export function salesWrites(table: string, siteId: string, delta: SalesDelta): Write[][] {
  const { week, month, year } = rollupsOf(delta.businessDay);
  const summary = [
    analyticsKeys.day(siteId, delta.businessDay),
    analyticsKeys.week(siteId, week),
    analyticsKeys.month(siteId, month),
    analyticsKeys.year(siteId, year),
  ].map((key) => addCounters(table, key, delta.day, delta.currency));
  if (delta.hour) summary.push(addCounters(table, analyticsKeys.hour(siteId, delta.businessDay, delta.hour.hour), delta.hour.counters));
  return transactionParts(summary, delta.items.map((sale) => addItemSale(table, siteId, delta.businessDay, sale)));
}

export class SalesStore {
  constructor(private readonly table: string) {}

  /**
   * Adds `delta` for event `eventId`, once. The receipt (put only if absent) and the counters are one transaction;
   * an order selling more menu items than one transaction holds is written in parts, each with its own receipt,
   * so a part that failed is retried alone. Returns false when every part had been counted before.
   */
  async record(siteId: string, eventId: string, delta: SalesDelta): Promise<boolean> {
    let applied = false;
    for (const [index, writes] of salesWrites(this.table, siteId, delta).entries()) {
      const receipt: Write = {
        Put: {
          TableName: this.table,
          Item: { ...analyticsKeys.receipt(eventId, index + 1), expiresAt: Math.floor(Date.now() / 1000) + RECEIPT_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
      applied = (await this.commit([receipt, ...writes])) || applied;
    }
    return applied;
  }

  /** false: the receipt was there, the part had been counted. Concurrent writers on the same day are retried. */
  private async commit(writes: Write[]): Promise<boolean> {
    try {
      await retryOnConflict(() => dynamoDb().send(new TransactWriteCommand({ TransactItems: writes })), { retryIf: isTransactionConflict, attempts: 8 });
      return true;
    } catch (error) {
      if (conditionFailedAt(error, 0)) return false;
      throw error;
    }
  }

  /** The counters of each key found, by keyId (a key with no item is absent: nothing was booked there), and the currency they were booked in. */
  async counters(keys: readonly TableKey[]): Promise<{ byKey: Map<string, Counters>; currency?: string }> {
    const items = await batchGetAll(this.table, keys);
    const currency = items.find((item) => typeof item.currency === 'string')?.currency as string | undefined;
    return { byKey: new Map(items.map((item) => [keyId(item as TableKey), countersOf(item)])), ...(currency ? { currency } : {}) };
  }

  /** The day's hours that had sales, by hour (00–23). */
  async hours(siteId: string, date: string): Promise<Map<string, Counters>> {
    const prefix = analyticsKeys.hour(siteId, date, '');
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.sk },
    });
    return new Map(items.map((item) => [(item.sk as string).slice(prefix.sk.length), countersOf(item)]));
  }

  /** Every menu item sold that day (as many as the menu has, whatever the number of orders). */
  async items(siteId: string, date: string): Promise<ItemFigures[]> {
    const items = await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': analyticsKeys.item(siteId, date, '').pk } });
    return items.map((item) => ({ itemId: (item.sk as string).slice('ITEM#'.length), name: item.name as string, quantity: item.quantity as number, revenue: item.revenue as number }));
  }
}

export const keyId = (key: TableKey) => `${key.pk}|${key.sk}`;
