// Order use cases: placing an order, its lines, the kitchen flow, voids, discounts and split bills. Each reads
// the order, applies a pure rule from order-rules.ts and writes the result with its events in one transaction
// conditional on the version read.
import { randomUUID } from 'node:crypto';
import { retryOnConflict } from '#shared/dynamodb';
import { ConflictError, NotFoundError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import type { Caller } from '#shared/identity';
import { IdempotencyKeyTakenError, completedRecordWrite, replayOf, replayWinner, type IdempotentRequest } from '#shared/idempotency';
import { recordOrderPlaced } from '#shared/metrics';
import { businessDayOf } from '#shared/time';
import { store } from './config';
import { customerRefFor } from './customer-ref-key';
import { buildEvents } from './events';
import { takeFromMenu } from './menu-rules';
import {
  addLine,
  assertVersion,
  changeLineStatus,
  changeStatus,
  newOrder,
  removeLine,
  setCustomer,
  setDiscount,
  setSplit,
  voidOrder,
  type Change,
} from './order-rules';
import type { CreateOrderInput, CustomerInput, DiscountInput, LineInput, LineStatus, OrderRecord, OrderStatus, SplitInput } from './schemas';
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

/** A new order as placeOrder takes it: the customer, if any, already reduced to its keyed hash. */
export type NewOrderInput = Omit<CreateOrderInput, 'customer'> & { customerRef?: string };

/**
 * Replaces the customer of a request by its keyed hash (customer-ref.ts) before anything keeps the request: the
 * order, its events and the Idempotency-Key's fingerprint then never hold the phone or loyalty id.
 */
export async function withCustomerRef({ customer, ...order }: CreateOrderInput): Promise<NewOrderInput> {
  return customer ? { ...order, customerRef: await customerRefFor(customer) } : order;
}

/** How a new order answers: its Idempotency-Key, and the response built from the order before it is written. */
export interface PlaceOrderRequest {
  idempotency: IdempotentRequest;
  respond: (order: OrderRecord) => HttpResult;
}

/**
 * Places an order in 3 DynamoDB round trips: one BatchGetItem (settings, menu items, the Idempotency-Key's record),
 * the ticket counter, and one transaction (order, menu checks and countdowns, events, the key's record with the
 * response it answers). A key already used replays its response and does nothing else. A ticket number taken by
 * an attempt that then fails (a concurrent twin of the same key, an item sold out meanwhile) is a gap.
 */
export async function placeOrder({ siteId, caller, correlationId }: Context, input: NewOrderInput, request: PlaceOrderRequest): Promise<HttpResult> {
  const at = new Date();
  const now = at.toISOString();
  const orderId = randomUUID();
  const itemIds = input.lines.map((line) => line.itemId);
  let ticket: { businessDay: string; number: number } | undefined;
  try {
    const placed = await withFreshMenu(async () => {
      // Each attempt reads the key again: after a lost race it may find the twin's committed response.
      const { settings, items, categoryNames, idempotencyRecord } = await store.readForOrder(siteId, itemIds, request.idempotency.itemKey);
      const replayed = replayOf(request.idempotency, idempotencyRecord);
      if (replayed) return { replayed };
      if (!settings) throw new ConflictError('This site does not take orders yet: a manager must set its menu settings first');
      const taken = takeFromMenu(items, input.lines, 1, now, categoryNames);
      // Taken once the order is known to be sellable, and kept across menu retries.
      if (!ticket) {
        const businessDay = businessDayOf(at, settings.timeZone, settings.businessDayStartsAt);
        ticket = { businessDay, number: await store.nextTicket(siteId, businessDay) };
      }
      const { order, events } = newOrder({
        siteId,
        orderId,
        ticketNumber: ticket.number,
        businessDay: ticket.businessDay,
        currency: settings.currency,
        channel: input.channel,
        serverId: caller.userId,
        ...(input.customerRef ? { customerRef: input.customerRef } : {}),
        lines: taken.lines,
        now,
      });
      const completed = completedRecordWrite(request.idempotency, request.respond(order));
      await store.writeOrder(order, undefined, taken.menu, buildEvents([...events, ...taken.events], { siteId, correlationId, at }), completed.write);
      return { order, response: completed.response };
    });
    if (placed.replayed) return placed.replayed;
    recordOrderPlaced(placed.order.channel.type);
    return placed.response;
  } catch (error) {
    if (error instanceof IdempotencyKeyTakenError) return replayWinner(request.idempotency);
    throw error;
  }
}

export async function addOrderLine({ siteId, correlationId }: Context, orderId: string, input: LineInput & { expectedVersion?: number }) {
  const { expectedVersion, ...line } = input;
  return withFreshMenu(async () => {
    const order = await loadOrder(siteId, orderId);
    assertVersion(order, expectedVersion);
    const at = new Date();
    const now = at.toISOString();
    const [items, categoryNames] = await Promise.all([store.getItems(siteId, [line.itemId]), store.categoryNames(siteId)]);
    const taken = takeFromMenu(items, [line], order.nextLineNumber, now, categoryNames);
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

export const setOrderCustomer = async (context: Context, orderId: string, input: { customer: CustomerInput; expectedVersion?: number }) => {
  const customerRef = await customerRefFor(input.customer);
  return changeOrder(context, orderId, input.expectedVersion, (order, now) => setCustomer(order, customerRef, now));
};

export const splitOrder = (context: Context, orderId: string, input: SplitInput) =>
  changeOrder(context, orderId, input.expectedVersion, (order, now) => setSplit(order, input, now));
