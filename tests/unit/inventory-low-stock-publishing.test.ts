// Where inventory's outbox events are published: low stock and its end on the alerts topic with their severity
// attribute (the notifications path filters on it), every other event on the events topic.
import { inventoryOutboxDeps } from '../../functions/inventory/low-stock-publishing';
import { sampleEvent } from './fixtures/events';

const publishEvent = jest.fn(async () => 'message-id');
jest.mock('../../functions/shared/event-publisher', () => ({ publishEvent: (...args: unknown[]) => publishEvent(...(args as [])) }));

const ALERTS = 'arn:aws:sns:us-east-1:000000000000:brigade-test-alerts';
const EVENTS = 'arn:aws:sns:us-east-1:000000000000:brigade-test-events';

beforeEach(() => publishEvent.mockClear());

it('sends low stock and stock restored to the alerts topic with their severity', async () => {
  const { publish } = inventoryOutboxDeps(ALERTS)();
  const low = sampleEvent('inventory.low-stock');
  const restored = sampleEvent('inventory.stock-restored');
  await publish(EVENTS, low);
  await publish(EVENTS, restored);
  expect(publishEvent.mock.calls).toEqual([
    [ALERTS, low, { severity: 'warning' }],
    [ALERTS, restored, { severity: 'info' }],
  ]);
});

it('sends every other inventory event to the outbox target’s topic', async () => {
  const { publish } = inventoryOutboxDeps(ALERTS)();
  const drafted = sampleEvent('inventory.purchase-order-drafted');
  const movement = sampleEvent('inventory.movement-recorded');
  await publish(EVENTS, drafted);
  await publish(EVENTS, movement);
  expect(publishEvent.mock.calls).toEqual([[EVENTS, drafted], [EVENTS, movement]]);
});
