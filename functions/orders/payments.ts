// Payments and refunds through the PaymentProcessor port. A payment is charged first and then recorded on the
// latest version of the order (payments commute, so a concurrent change is retried, not refused); if it can no
// longer be recorded (someone else paid the balance meanwhile) the charge is given back. A refund is reserved
// on the order first, then asked of the processor, then completed or released: two managers refunding one
// payment at once cannot give back more than it took.
import { randomUUID } from 'node:crypto';
import { retryOnConflict } from '#shared/dynamodb';
import { HttpError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { logger } from '#shared/logger';
import { config } from './config';
import { loadOrder, changeOrder } from './orders';
import { addPayment, assertPaymentAllowed, assertRefundAllowed, completeRefund, releaseRefund, reserveRefund, type Change } from './order-rules';
import { processorFor, processorNamed } from './payment-processors';
import type { OrderRecord, Payment, PaymentInput, RefundInput } from './schemas';

const WRITE_ATTEMPTS = 5;

export class PaymentDeclinedError extends HttpError {
  override name = 'PaymentDeclinedError';
  constructor(reason: string, message = 'The payment was declined') {
    super(402, 'PAYMENT_DECLINED', message, { reason });
  }
}

interface Context {
  siteId: string;
  caller: Caller;
  correlationId: string;
  /** The request's Idempotency-Key: the processor sees the same key when a request is retried. */
  idempotencyKey: string;
}

/** Payments and refunds commute with other changes: one that lost a race is applied again to the newer order. */
function changeWithRetries(context: Context, orderId: string, rule: (order: OrderRecord, now: string) => Change): Promise<OrderRecord> {
  return retryOnConflict(() => changeOrder(context, orderId, undefined, rule), { attempts: WRITE_ATTEMPTS });
}

export async function recordPayment(context: Context, orderId: string, input: PaymentInput) {
  const { siteId, caller } = context;
  const order = await loadOrder(siteId, orderId);
  assertPaymentAllowed(order, input);
  const processor = processorFor(input.method, config.PAYMENT_PROCESSOR);
  const processorKey = `charge:${siteId}:${orderId}:${caller.userId}:${context.idempotencyKey}`;
  const charged = await processor.charge({
    amount: input.amount + input.tip,
    currency: order.currency,
    cardReference: input.cardReference,
    idempotencyKey: processorKey,
  });
  if (!charged.approved) throw new PaymentDeclinedError(charged.reason, 'The card was declined');
  const payment: Omit<Payment, 'at'> = {
    paymentId: randomUUID(),
    method: input.method,
    amount: input.amount,
    tip: input.tip,
    processor: processor.name,
    ...(charged.processorReference ? { processorReference: charged.processorReference } : {}),
    ...(input.checkId ? { checkId: input.checkId } : {}),
    by: caller.userId,
  };
  try {
    const updated = await changeWithRetries(context, orderId, (current, now) => addPayment(current, { ...payment, at: now }, now));
    const change = input.tendered === undefined ? {} : { change: input.tendered - input.amount - input.tip };
    return { payment: { ...updated.payments.find((p) => p.paymentId === payment.paymentId)!, ...change }, order: updated };
  } catch (error) {
    // A refused write (ours, or DynamoDB's: an item over 400 KB) certainly did not record the payment; anything else
    // (a timeout) may have, so it is left to reconcile.
    if (!(error instanceof HttpError) && (error as { name?: string } | null)?.name !== 'ValidationException') {
      logger.error('payment charged but its recording failed; reconcile with the processor', { orderId, processorReference: charged.processorReference });
      throw error;
    }
    const givenBack = await processor.refund({
      amount: input.amount + input.tip,
      currency: order.currency,
      processorReference: charged.processorReference,
      idempotencyKey: `${processorKey}:not-recorded`,
    });
    logger.warn('payment charged but refused on recording; charge given back', { orderId, processor: processor.name, givenBack: givenBack.approved });
    throw error;
  }
}

export async function refundPayment(context: Context, orderId: string, input: RefundInput) {
  const { siteId, caller } = context;
  const order = await loadOrder(siteId, orderId);
  const payment = assertRefundAllowed(order, input);
  const refundId = randomUUID();
  const pending = { refundId, paymentId: input.paymentId, amount: input.amount, reason: input.reason, status: 'pending' as const, by: caller.userId };
  await changeWithRetries(context, orderId, (current, now) => reserveRefund(current, { ...pending, at: now }, now));
  const refunded = await processorNamed(payment.processor).refund({
    amount: input.amount,
    currency: order.currency,
    processorReference: payment.processorReference,
    idempotencyKey: `refund:${siteId}:${orderId}:${caller.userId}:${context.idempotencyKey}`,
  });
  if (!refunded.approved) {
    await changeWithRetries(context, orderId, (current, now) => releaseRefund(current, refundId, now));
    throw new PaymentDeclinedError(refunded.reason, 'The processor refused the refund');
  }
  const updated = await changeWithRetries(context, orderId, (current, now) => completeRefund(current, refundId, refunded.processorReference, now));
  return { refund: updated.refunds.find((r) => r.refundId === refundId)!, order: updated };
}
