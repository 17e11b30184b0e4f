// Many events' deltas summed in memory into the items the consumer would have built one event at a time (the same
// keys and attributes as salesWrites in sales-store.ts): what the demo's months of history and the benchmark's 100k
// orders put directly instead of replaying them one transaction each. The unit test holds it equal to the
// consumer's writes applied one by one.
import { rollupsOf, type Counters, type Delta } from './sales-rules';
import { bookingItem } from './sales-store';
import { analyticsKeys, type TableKey } from './table';

export type FoldedItem = TableKey & Record<string, unknown>;

export function foldDeltas(siteId: string, deltas: Iterable<Delta>, epoch = 0): FoldedItem[] {
  const items = new Map<string, FoldedItem>();
  const itemAt = (key: TableKey) => {
    const id = `${key.pk}|${key.sk}`;
    let item = items.get(id);
    if (!item) items.set(id, (item = { ...key }));
    return item;
  };
  const addTo = (key: TableKey, counters: Counters, set: Record<string, unknown> = {}) => {
    const item = itemAt(key);
    for (const [name, value] of Object.entries(counters)) item[name] = ((item[name] as number | undefined) ?? 0) + value;
    Object.assign(item, set);
  };
  for (const delta of deltas) {
    if (delta.bookOrder) {
      const booking = bookingItem(siteId, delta.bookOrder, epoch, delta.businessDay);
      const id = `${booking.pk}|${booking.sk}`;
      if (items.has(id)) continue; // booked before: the consumer's condition refuses the whole event
      items.set(id, booking);
    }
    const { week, month, year } = rollupsOf(delta.businessDay);
    if (Object.keys(delta.day).length > 0 || delta.labels)
      for (const key of [analyticsKeys.day(siteId, delta.businessDay), analyticsKeys.week(siteId, week), analyticsKeys.month(siteId, month), analyticsKeys.year(siteId, year)])
        addTo(key, delta.day, { ...delta.labels, ...(delta.currency ? { currency: delta.currency } : {}) });
    for (const { hour, counters } of delta.hours) addTo(analyticsKeys.hour(siteId, delta.businessDay, hour), counters);
    if (delta.customer) {
      const customer = itemAt(analyticsKeys.customer(siteId, delta.customer.ref));
      addTo(customer, { orders: 1, spend: delta.customer.spend });
      customer.visitDays = new Set([...((customer.visitDays as Set<string> | undefined) ?? []), delta.businessDay]);
    }
    for (const sale of delta.items)
      for (const key of [analyticsKeys.item(siteId, delta.businessDay, sale.itemId), analyticsKeys.itemMonth(siteId, month, sale.itemId)])
        addTo(key, { quantity: sale.quantity, revenue: sale.revenue }, { name: sale.name, ...(sale.categoryId ? { categoryId: sale.categoryId } : {}) });
  }
  return [...items.values()];
}
