// The forecast table, `brigade-<stage>-forecast`: each site's daily figures as analytics published them
// (`analytics.daily-figures`), never read from analytics' table. Site ids are [A-Za-z0-9_-], so `#` only separates.
//   SITE#{site}#DAILY / DAY#{date}     netSales, orders, covers, currency, hours, items; the event's id and occurredAt
// The headline read projects the three figures only, so a year of days stays one small query; the hourly and item
// forecasts read the hours or the items besides.
// A day's figures are published again when they change (a late refund): the put keeps the newest `occurredAt`, so
// order and redelivery do not matter and no receipt is needed (a replay from the archive rewrites the same items).
import { queryAll } from '#shared/dynamodb';
import type { EventOf } from '#shared/contracts';
import { putIfNewer } from './newest-put';

/** What learn-daily-figures.ts subscribes to (its filter policy in functions.yml). */
export const FORECAST_EVENTS = ['analytics.daily-figures'] as const;

export interface HourFigures {
  /** Site-local hour 00–23. */
  hour: string;
  netSales: number;
  orders: number;
  covers: number;
}

export interface ItemQuantity {
  itemId: string;
  name: string;
  quantity: number;
}

export interface DailyPoint {
  date: string;
  netSales: number;
  orders: number;
  covers: number;
  currency?: string;
  /** The hours that had sales (present when read with `hours`). */
  hours?: HourFigures[];
  /** Every menu item sold (present when read with `items`), or its best sellers when `itemsLeftOut` is set. */
  items?: ItemQuantity[];
  /** Items sold but left out of `items` (analytics keeps its event within SNS's limit): an absent item is unknown, not 0. */
  itemsLeftOut?: number;
}

/** What a read brings besides the headline figures. */
export interface DaysRead {
  hours?: boolean;
  items?: boolean;
}

const sitePk = (siteId: string) => `SITE#${siteId}#DAILY`;

/** The item a day's figures are kept as: the consumer's put and the demo seed write the same. */
export function dailyItem(event: EventOf<'analytics.daily-figures'>) {
  const { date, netSales, orders, covers, currency, hours, items, itemsLeftOut } = event.data;
  return {
    pk: sitePk(event.siteId),
    sk: `DAY#${date}`,
    date,
    netSales,
    orders,
    covers,
    ...(currency ? { currency } : {}),
    hours,
    items,
    ...(itemsLeftOut ? { itemsLeftOut } : {}),
    eventId: event.id,
    occurredAt: event.occurredAt,
  };
}

export class DailySeriesStore {
  constructor(private readonly table: string) {}

  /** Keeps the event's figures unless newer ones are stored; false when they were older. */
  async learn(event: EventOf<'analytics.daily-figures'>): Promise<boolean> {
    return putIfNewer(this.table, dailyItem(event), 'occurredAt', { orEqual: true });
  }

  /** The site's days on or after `from`, oldest first; with `read.hours` / `read.items` their hours or items too. */
  async daysFrom(siteId: string, from: string, read: DaysRead = {}): Promise<DailyPoint[]> {
    const attributes = ['#date', 'netSales', 'orders', 'covers', 'currency', ...(read.hours ? ['hours'] : []), ...(read.items ? ['#items', 'itemsLeftOut'] : [])];
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      ExpressionAttributeValues: { ':pk': sitePk(siteId), ':from': `DAY#${from}` },
      ProjectionExpression: attributes.join(', '),
      ExpressionAttributeNames: { '#date': 'date', ...(read.items ? { '#items': 'items' } : {}) },
    });
    return items.map((item) => ({
      date: item.date as string,
      netSales: item.netSales as number,
      orders: item.orders as number,
      covers: item.covers as number,
      ...(typeof item.currency === 'string' ? { currency: item.currency } : {}),
      ...(read.hours ? { hours: (item.hours as HourFigures[] | undefined) ?? [] } : {}),
      ...(read.items ? { items: (item.items as ItemQuantity[] | undefined) ?? [] } : {}),
      ...(read.items && typeof item.itemsLeftOut === 'number' ? { itemsLeftOut: item.itemsLeftOut } : {}),
    }));
  }
}
