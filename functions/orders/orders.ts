// Order use cases: placing an order, its lines, the kitchen flow, voids, discounts and split bills. Each reads
// the order, applies a pure rule from order-rules.ts and writes the result with its events in one transaction
// conditional on the version read.
import { randomUUID } from 'node:crypto';
import { retryOnConflict } from '#shared/dynamodb';
import { ConflictError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { businessDayOf } from './business-day';
import { store } from './config';
import { buildEvents } from './events';
import { takeFromMenu } from './menu-rules';
import {
  addLine,
  assertVersion,
  changeLineStatus,
  changeStatus,
  newOrder,
  removeLine,
  setDiscount,
  setSplit,
  voidOrder,
  type Change,
} from './order-rules';
import type { CreateOrderInput, DiscountInput, LineInput, LineStatus, OrderRecord, OrderStatus, SplitInput } from './schemas';
import { StaleMenuError } from './store';

/** Orders racing for a counted item each retry on the newer count; this bounds a pathological race. */
const MENU_ATTEMPTS = 30;

interface Context {
  siteId: string;
  caller: Caller;
  correlationId: string;
}

export async function loadOrder(siteId: string, orderId: string): Promise<OrderRecord> {
  const order = await store.getOrder(siteId, orderId);
  if (!order) throw new NotFoundError('Order not found');
  return order;
}

/**
 * Retries `attempt` while the menu it priced from keeps moving (other orders counting an item down, price edits).
 * A short back-off (up to 64 ms): a busy countdown item sees many quick retries, not a few slow ones.
 */
function withFreshMenu<T>(attempt: () => Promise<T>): Promise<T> {
  return retryOnConflict(attempt, {
    attempts: MENU_ATTEMPTS,
    retryIf: (error) => error instanceof StaleMenuError,
    baseDelayMs: 2,
    exhausted: () => new ConflictError('The menu is changing too fast; retry the order'),
  });
}

export async function placeOrder({ siteId, caller, correlationId }: Context, input: CreateOrderInput): Promise<OrderRecord> {
  const settings = await store.getSettings(siteId);
  if (!settings) throw new ConflictError('This site does not take orders yet: a manager must set its menu settings first');
  const at = new Date();
  const now = at.toISOString();
  const businessDay = businessDayOf(at, settings.timeZone, settings.businessDayStartsAt);
  const orderId = randomUUID();
  let ticketNumber: number | undefined;
  return withFreshMenu(async () => {
    const items = await store.getItems(siteId, input.lines.map((line) => line.itemId));
    const taken = takeFromMenu(items, input.lines, 1, now);
    // Taken once the order is known to be sellable, and kept across menu retries.
    ticketNumber ??= await store.nextTicket(siteId, businessDay);
    const { order, events } = newOrder({
      siteId,
      orderId,
      ticketNumber,
      businessDay,
      currency: settings.currency,
      channel: input.channel,
      serverId: caller.userId,
      lines: taken.lines,
      now,
    });
    await store.writeOrder(order, undefined, taken.menu, buildEvents([...events, ...taken.events], { siteId, correlationId, at }));
    return order;
  });
}

export async function addOrderLine({ siteId, correlationId }: Context, orderId: string, input: LineInput & { expectedVersion?: number }) {
  const { expectedVersion, ...line } = input;
  return withFreshMenu(async () => {
    const order = await loadOrder(siteId, orderId);
    assertVersion(order, expectedVersion);
    const at = new Date();
    const now = at.toISOString();
    const taken = takeFromMenu(await store.getItems(siteId, [line.itemId]), [line], order.nextLineNumber, now);
    const change = addLine(order, taken.lines[0]!, now);
    await store.writeOrder(change.order, order.version, taken.menu, buildEvents([...change.events, ...taken.events], { siteId, correlationId, at }));
    return change.order;
  });
}

/** Read, apply a rule, write with its events on condition of the version read. */
export async function changeOrder(
  { siteId, correlationId }: Context,
  orderId: string,
  expectedVersion: number | undefined,
  rule: (order: OrderRecord, now: string) => Change,
): Promise<OrderRecord> {
  const order = await loadOrder(siteId, orderId);
  assertVersion(order, expectedVersion);
  const at = new Date();
  const change = rule(order, at.toISOString());
  await store.writeOrder(change.order, order.version, [], buildEvents(change.events, { siteId, correlationId, at }));
  return change.order;
}

export const removeOrderLine = (context: Context, orderId: string, lineId: string) =>
  changeOrder(context, orderId, undefined, (order, now) => removeLine(order, lineId, context.caller.userId, now));

export const changeOrderStatus = (context: Context, orderId: string, input: { status: OrderStatus; expectedVersion?: number }) =>
  changeOrder(context, orderId, input.expectedVersion, (order, now) => changeStatus(order, input.status, context.caller.userId, now));

export const changeOrderLineStatus = (context: Context, orderId: string, lineId: string, status: Exclude<LineStatus, 'pending'>) =>
  changeOrder(context, orderId, undefined, (order, now) => changeLineStatus(order, lineId, status, now));

export const voidOrderAs = (context: Context, orderId: string, input: { reason: string; expectedVersion?: number }) =>
  changeOrder(context, orderId, input.expectedVersion, (order, now) => voidOrder(order, input.reason, context.caller.userId, now));

export const discountOrder = (context: Context, orderId: string, input: DiscountInput) =>
  changeOrder(context, orderId, input.expectedVersion, (order, now) => setDiscount(order, input, context.caller.userId, now));

export const splitOrder = (context: Context, orderId: string, input: SplitInput) =>
  changeOrder(context, orderId, input.expectedVersion, (order, now) => setSplit(order, input, now));
