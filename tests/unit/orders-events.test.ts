import { buildEvents, menuSettingsEvent, type EventSpec } from '../../functions/orders/events';
import { envelopeSchemaOf, type EventType } from '../../functions/shared/contracts/index';
import { ordersContract } from '../../functions/shared/contracts/orders';
import { applyStockSignal, changeAvailability, itemChangeEvents, takePortions } from '../../functions/orders/menu-rules';
import { addLine, addPayment, changeStatus, completeRefund, newOrder, removeLine, reserveRefund, setDiscount, voidOrder } from '../../functions/orders/order-rules';
import { priceLine } from '../../functions/orders/pricing';
import { menuItem, NOW, openOrder } from './fixtures/orders';

const pasta = menuItem({
  itemId: 'pasta',
  name: 'Pasta',
  price: 1500,
  recipe: [{ ingredientId: 'spaghetti', quantity: 0.12, unit: 'kg' }],
  modifiers: [{ modifierId: 'parmesan', name: 'Parmesan', priceDelta: 100, recipe: [{ ingredientId: 'parmesan', quantity: 10, unit: 'g' }] }],
  remaining: 2,
});
const water = menuItem({ itemId: 'water', name: 'Water', price: 0, taxRate: '0', station: 'bar' });

/** Every kind of change the domain makes, and the events each produces. */
function everyEvent(): EventSpec[] {
  const specs: EventSpec[] = [];
  const lines = [priceLine(pasta, { itemId: 'pasta', quantity: 1, modifierIds: ['parmesan'], notes: 'no pepper' }, 'L1')];
  const placed = newOrder({ siteId: 's', orderId: 'o', ticketNumber: 1, businessDay: '2026-11-25', currency: 'EUR', channel: { type: 'takeaway' }, serverId: 'u', lines, now: NOW });
  let order = placed.order;
  specs.push(...placed.events);
  const record = (change: { order: typeof order; events: EventSpec[] }) => {
    specs.push(...change.events);
    order = change.order;
  };
  record(addLine(order, priceLine(water, { itemId: 'water', quantity: 2, modifierIds: [] }, 'L2'), NOW));
  record(addLine(order, priceLine(water, { itemId: 'water', quantity: 1, modifierIds: [] }, 'L3'), NOW));
  record(removeLine(order, 'L3', 'u', NOW));
  record(setDiscount(order, { type: 'amount', amount: 100, reason: 'loyalty' }, 'm', NOW));
  record(changeStatus(order, 'sent', 'u', NOW));
  record(addPayment(order, { paymentId: 'p1', method: 'card', amount: order.totals.balance, tip: 50, processor: 'fake-card', processorReference: 'ref', by: 'u', at: NOW }, NOW));
  record(reserveRefund(order, { refundId: 'r1', paymentId: 'p1', amount: 50, reason: 'tip back', status: 'pending', by: 'm', at: NOW }, NOW));
  record(completeRefund(order, 'r1', 'fake_re', NOW));
  specs.push(...voidOrder(openOrder([water], [{ itemId: 'water' }]), 'test', 'm', NOW).events);
  specs.push(...takePortions(pasta, 2, NOW)!.events);
  specs.push(...changeAvailability({ ...pasta, eightySixed: true, eightySixedReason: 'sold-out', remaining: 0 }, { available: true, remaining: 3 }, NOW)!.events);
  specs.push(...itemChangeEvents(undefined, pasta));
  const settings = { siteId: 's', timeZone: 'Europe/Paris', currency: 'EUR', businessDayStartsAt: '04:00', updatedAt: NOW, version: 2 };
  const { type, data } = menuSettingsEvent(settings, { correlationId: 'c' });
  specs.push({ type, data } as EventSpec);
  const outOfStock = applyStockSignal(pasta, { available: false, version: 1 }, NOW)!;
  specs.push(...outOfStock.events, ...applyStockSignal(outOfStock.next, { available: true, version: 2 }, NOW)!.events);
  return specs;
}

const EVENT_TYPES = Object.keys(ordersContract.events) as EventType[];

describe('menu.settings-changed', () => {
  it('is identified by site and settings version, so a republished version keeps its id', () => {
    const settings = { siteId: 's', timeZone: 'America/New_York', currency: 'USD', businessDayStartsAt: '05:30', updatedAt: NOW, version: 3 };
    const event = menuSettingsEvent(settings, { correlationId: 'c1' });
    expect(menuSettingsEvent(settings, { correlationId: 'c2' }).id).toBe(event.id);
    expect(event).toMatchObject({ id: 'menu-settings:s:v3', type: 'menu.settings-changed', source: 'orders', siteId: 's', occurredAt: NOW });
    expect(event.data).toEqual({ timeZone: 'America/New_York', currency: 'USD', businessDayStartsAt: '05:30', version: 3 });
    expect(envelopeSchemaOf('menu.settings-changed').safeParse(event).success).toBe(true);
  });
});

describe('event catalog', () => {
  const envelopes = buildEvents(everyEvent(), { siteId: 'site-1', correlationId: 'corr-1', at: new Date(NOW) });

  it('documents every event type the rules produce, and the rules produce every documented type', () => {
    expect(new Set(envelopes.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
  });

  it('builds envelopes that validate against their documented schema', () => {
    for (const envelope of envelopes) {
      const parsed = envelopeSchemaOf(envelope.type as EventType).safeParse(JSON.parse(JSON.stringify(envelope)));
      expect({ type: envelope.type, issues: parsed.error?.issues ?? [] }).toEqual({ type: envelope.type, issues: [] });
      expect(envelope).toMatchObject({ source: 'orders', siteId: 'site-1', correlationId: 'corr-1', occurredAt: NOW });
    }
  });

  it('carries what inventory needs on order.paid: lines with recipe quantities, and the totals', () => {
    const paid = envelopes.find((e) => e.type === 'order.paid')!;
    expect(paid.data).toMatchObject({
      status: 'sent',
      lines: [
        expect.objectContaining({ itemId: 'pasta', consumption: [{ ingredientId: 'spaghetti', quantity: 0.12, unit: 'kg' }, { ingredientId: 'parmesan', quantity: 10, unit: 'g' }] }),
        expect.objectContaining({ itemId: 'water', quantity: 2 }),
      ],
      totals: expect.objectContaining({ balance: 0 }),
    });
  });

  it('refuses to build an event whose data does not match the catalog (a bug, never published)', () => {
    const wrong = { type: 'menu.item-86d', data: { itemId: 'x', name: 'X', reason: 'tired', version: 1 } } as unknown as EventSpec;
    expect(() => buildEvents([wrong], { siteId: 's', correlationId: 'c', at: new Date() })).toThrow();
    const extra = { type: 'menu.item-restored', data: { itemId: 'x', name: 'X', remaining: null, version: 1, secret: true } } as unknown as EventSpec;
    expect(() => buildEvents([extra], { siteId: 's', correlationId: 'c', at: new Date() })).toThrow();
  });
});
