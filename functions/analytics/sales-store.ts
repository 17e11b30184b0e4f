// A site's figures (table.ts has the layout): counters written only by ADD, each event's in one transaction with its
// receipt and a check of the site's epoch, so a redelivered event counts once, two events at once both count (ADD
// commutes), and nothing lands in figures a rebuild is deleting (rebuild.ts).
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, conditionFailedAt, isTransactionConflict, queryAll, retryOnConflict, type Item } from '#shared/dynamodb';
import { rollupsOf, type Counters, type Delta, type ItemSale } from './sales-rules';
import { analyticsKeys, NOT_COUNTERS, type TableKey } from './table';

type Write = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of actions in one TransactWriteItems. */
export const TRANSACTION_LIMIT = 100;
const RECEIPT_TTL_SECONDS = 35 * 24 * 60 * 60;

export interface ItemFigures {
  itemId: string;
  name: string;
  categoryId?: string;
  quantity: number;
  revenue: number;
}

function addCounters(table: string, key: TableKey, counters: Counters, currency?: string, labels: Record<string, string> = {}): Write {
  const names = Object.keys(counters);
  const sets = Object.entries({ ...labels, ...(currency ? { currency } : {}) });
  // Counter and label names carry `#` and ids: always as placeholders.
  const addPart = names.length > 0 ? `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}` : '';
  const setPart = sets.length > 0 ? ` SET ${sets.map((_, i) => `#s${i} = :s${i}`).join(', ')}` : '';
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: `${addPart}${setPart}`.trim(),
      ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])), ...Object.fromEntries(sets.map(([name], i) => [`#s${i}`, name])) },
      ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:c${i}`, counters[name]])), ...Object.fromEntries(sets.map(([, value], i) => [`:s${i}`, value])) },
    },
  };
}

function addItemSale(table: string, key: TableKey, sale: ItemSale): Write {
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: `ADD #quantity :q, #revenue :r SET #name = :name${sale.categoryId ? ', #category = :category' : ''}`,
      ExpressionAttributeNames: { '#quantity': 'quantity', '#revenue': 'revenue', '#name': 'name', ...(sale.categoryId ? { '#category': 'categoryId' } : {}) },
      ExpressionAttributeValues: { ':q': sale.quantity, ':r': sale.revenue, ':name': sale.name, ...(sale.categoryId ? { ':category': sale.categoryId } : {}) },
    },
  };
}

/** A known customer's visit: ADD to a set is idempotent per day, so visits by day need no read. */
function addVisit(table: string, key: TableKey, day: string, spend: number): Write {
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: 'ADD #orders :one, #spend :spend, #days :day',
      ExpressionAttributeNames: { '#orders': 'orders', '#spend': 'spend', '#days': 'visitDays' },
      ExpressionAttributeValues: { ':one': 1, ':spend': spend, ':day': new Set([day]) },
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

/** How long an order's booking is kept: a payment after a refund comes within days, not a year. */
export const BOOKING_TTL_SECONDS = 400 * 24 * 60 * 60;

/** The booking of an order's sale in `epoch`: put only if absent, first in its transaction. */
export const bookingItem = (siteId: string, orderId: string, epoch: number, day: string, now = Date.now()) => ({
  ...analyticsKeys.booking(siteId, orderId, epoch),
  day,
  expiresAt: Math.floor(now / 1000) + BOOKING_TTL_SECONDS,
});

/** The writes of `delta` at `siteId` in `epoch`, split so that each part with its receipt and epoch check fits one transaction. */
export function salesWrites(table: string, siteId: string, delta: Delta, epoch = 0): Write[][] {
  const { week, month, year } = rollupsOf(delta.businessDay);
  const summary: Write[] = [];
  // First, so its refusal is recognisable (index BOOKING_INDEX): an order's sale is booked once.
  if (delta.bookOrder) summary.push({ Put: { TableName: table, Item: bookingItem(siteId, delta.bookOrder, epoch, delta.businessDay), ConditionExpression: 'attribute_not_exists(pk)' } });
  if (Object.keys(delta.day).length > 0 || delta.labels)
    summary.push(
      ...[analyticsKeys.day(siteId, delta.businessDay), analyticsKeys.week(siteId, week), analyticsKeys.month(siteId, month), analyticsKeys.year(siteId, year)].map((key) =>
        addCounters(table, key, delta.day, delta.currency, delta.labels),
      ),
    );
  for (const { hour, counters } of delta.hours) summary.push(addCounters(table, analyticsKeys.hour(siteId, delta.businessDay, hour), counters));
  if (delta.customer) summary.push(addVisit(table, analyticsKeys.customer(siteId, delta.customer.ref), delta.businessDay, delta.customer.spend));
  const items = delta.items.flatMap((sale) => [
    addItemSale(table, analyticsKeys.item(siteId, delta.businessDay, sale.itemId), sale),
    addItemSale(table, analyticsKeys.itemMonth(siteId, month, sale.itemId), sale),
  ]);
  return transactionParts(summary, items, TRANSACTION_LIMIT - FIXED_ACTIONS);
}

/** Every part's transaction starts with the event's receipt and the check of the site's epoch. */
const FIXED_ACTIONS = 2;
const EPOCH_INDEX = 1;
const BOOKING_INDEX = 2;

/** The site's figures are being rebuilt or were rebuilt since its epoch was read: read the site again and retry. */
export class EpochMovedError extends Error {
  constructor(readonly siteId: string) {
    super(`analytics of site ${siteId} moved to another epoch or are being rebuilt`);
  }
}

export class SalesStore {
  constructor(private readonly table: string) {}

  /**
   * Adds `delta` for event `eventId` of `consumer`, once per epoch. The receipt (put only if absent), the epoch
   * check and the counters are one transaction; an event with more menu items than one transaction holds is written
   * in parts, each with its own receipt, so a part that failed is retried alone. Returns false when every part had
   * been counted before (or the order's sale was booked by an earlier `order.paid`).
   */
  async record(siteId: string, consumer: string, eventId: string, delta: Delta, epoch: number): Promise<boolean> {
    let applied = false;
    for (const [index, writes] of salesWrites(this.table, siteId, delta, epoch).entries()) {
      const receipt: Write = {
        Put: {
          TableName: this.table,
          Item: { ...analyticsKeys.receipt(consumer, eventId, epoch, index + 1), expiresAt: Math.floor(Date.now() / 1000) + RECEIPT_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
      const epochCheck: Write = {
        ConditionCheck: {
          TableName: this.table,
          Key: analyticsKeys.site(siteId),
          ConditionExpression: '(attribute_not_exists(epoch) OR epoch = :epoch) AND attribute_not_exists(resetting)',
          ExpressionAttributeValues: { ':epoch': epoch },
        },
      };
      const outcome = await this.commit(siteId, [receipt, epochCheck, ...writes], index === 0 && delta.bookOrder !== undefined);
      if (outcome === 'booked-before') return applied;
      applied = outcome === 'applied' || applied;
    }
    return applied;
  }

  private async commit(siteId: string, writes: Write[], booking: boolean): Promise<'applied' | 'counted-before' | 'booked-before'> {
    try {
      await retryOnConflict(() => dynamoDb().send(new TransactWriteCommand({ TransactItems: writes })), { retryIf: isTransactionConflict, attempts: 8 });
      return 'applied';
    } catch (error) {
      // The epoch first: a receipt of the old epoch is there too, but says nothing about the new one.
      if (conditionFailedAt(error, EPOCH_INDEX)) throw new EpochMovedError(siteId);
      if (conditionFailedAt(error, 0)) return 'counted-before';
      if (booking && conditionFailedAt(error, BOOKING_INDEX)) return 'booked-before';
      throw error;
    }
  }

  /**
   * The counters of each key found, by keyId (a key with no item is absent: nothing was booked there), the currency
   * they were booked in and the names of ids in them (`label#category#{id}` → name).
   */
  async counters(keys: readonly TableKey[]): Promise<{ byKey: Map<string, Counters>; currency?: string; labels: Record<string, string> }> {
    const items = await batchGetAll(this.table, keys);
    const currency = items.find((item) => typeof item.currency === 'string')?.currency as string | undefined;
    const labels: Record<string, string> = {};
    for (const item of items) for (const [name, value] of Object.entries(item)) if (name.startsWith('label#') && typeof value === 'string') labels[name.slice('label#'.length)] = value;
    return { byKey: new Map(items.map((item) => [keyId(item as TableKey), countersOf(item)])), labels, ...(currency ? { currency } : {}) };
  }

  /** The day's hours that had sales or labour, by hour (00–23). */
  async hours(siteId: string, date: string): Promise<Map<string, Counters>> {
    const prefix = analyticsKeys.hour(siteId, date, '');
    const items = await this.startingWith(siteId, prefix.sk);
    return new Map(items.map((item) => [(item.sk as string).slice(prefix.sk.length), countersOf(item)]));
  }

  /** The hours of every day in `[from, to]` (one paged query), by date then hour. */
  async hoursBetween(siteId: string, from: string, to: string): Promise<Map<string, Map<string, Counters>>> {
    const items = await this.between(siteId, analyticsKeys.hour(siteId, from, '').sk, `${analyticsKeys.hour(siteId, to, '').sk}\uffff`);
    const byDate = new Map<string, Map<string, Counters>>();
    for (const item of items) {
      const [, date, hour] = (item.sk as string).split('#') as [string, string, string];
      byDate.set(date, (byDate.get(date) ?? new Map()).set(hour, countersOf(item)));
    }
    return byDate;
  }

  /** Every menu item sold that day (as many as the menu has, whatever the number of orders). */
  async items(siteId: string, date: string): Promise<ItemFigures[]> {
    return (await this.startingWith(siteId, analyticsKeys.item(siteId, date, '').sk)).map(itemFiguresOf);
  }

  /**
   * Every menu item sold over `[from, to]`, summed: whole months read from their month items, the days of a month
   * the range cuts from the day items. The cost is days at the edges plus months, each times the items sold.
   */
  async itemsOver(siteId: string, buckets: ReadonlyArray<{ from: string; to: string; month?: string }>): Promise<ItemFigures[]> {
    const pages = await Promise.all(
      buckets.map((bucket) =>
        bucket.month
          ? this.startingWith(siteId, analyticsKeys.itemMonth(siteId, bucket.month, '').sk)
          : this.between(siteId, analyticsKeys.item(siteId, bucket.from, '').sk, `${analyticsKeys.item(siteId, bucket.to, '').sk}\uffff`),
      ),
    );
    const byItem = new Map<string, ItemFigures>();
    for (const figures of pages.flat().map(itemFiguresOf)) {
      const sum = byItem.get(figures.itemId);
      byItem.set(figures.itemId, sum ? { ...sum, quantity: sum.quantity + figures.quantity, revenue: sum.revenue + figures.revenue } : figures);
    }
    return [...byItem.values()];
  }

  /** Every known customer of the site: what the customer report reads (its cost grows with customers, not orders). */
  async customers(siteId: string): Promise<Array<{ ref: string; orders: number; spend: number; visitDays: string[] }>> {
    const prefix = analyticsKeys.customer(siteId, '').sk;
    return (await this.startingWith(siteId, prefix)).map((item) => ({
      ref: (item.sk as string).slice(prefix.length),
      orders: (item.orders as number) ?? 0,
      spend: (item.spend as number) ?? 0,
      visitDays: [...((item.visitDays as Set<string> | undefined) ?? [])].sort(),
    }));
  }

  private startingWith(siteId: string, prefix: string): Promise<Item[]> {
    return queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': analyticsKeys.sitePartition(siteId), ':prefix': prefix },
    });
  }

  private between(siteId: string, from: string, to: string): Promise<Item[]> {
    return queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': analyticsKeys.sitePartition(siteId), ':from': from, ':to': to },
    });
  }
}

/** The menu item id is the sort key's last part (ids have no `#`). */
const itemFiguresOf = (item: Item): ItemFigures => ({
  itemId: (item.sk as string).slice((item.sk as string).lastIndexOf('#') + 1),
  name: item.name as string,
  ...(typeof item.categoryId === 'string' ? { categoryId: item.categoryId } : {}),
  quantity: item.quantity as number,
  revenue: item.revenue as number,
});

export const keyId = (key: TableKey) => `${key.pk}|${key.sk}`;
