// The payments port: how money is taken and given back. Cash needs no processor; card payments go through the
// adapter the stage configures (PAYMENT_PROCESSOR, see functions.yml). A real processor (Stripe, Adyen …) is one
// more adapter implementing PaymentProcessor; nothing else changes.
import { createHash } from 'node:crypto';

export interface ChargeRequest {
  /** amount + tip, minor units. */
  amount: number;
  currency: string;
  /** The card token or terminal reference; absent for cash. */
  cardReference?: string;
  /** Stable per payment request, so a retried charge is not taken twice by a processor that honours it. */
  idempotencyKey: string;
}

export interface RefundRequest {
  amount: number;
  currency: string;
  /** The reference the processor gave the original charge. */
  processorReference?: string;
  idempotencyKey: string;
}

export type ProcessorResult = { approved: true; processorReference?: string } | { approved: false; reason: string };

export interface PaymentProcessor {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ProcessorResult>;
  refund(request: RefundRequest): Promise<ProcessorResult>;
}

/** Cash changes hands at the till: nothing to ask anyone. */
export const cashProcessor: PaymentProcessor = {
  name: 'cash',
  charge: async () => ({ approved: true }),
  refund: async () => ({ approved: true }),
};

/** Card taken on a standalone terminal: the server records the terminal's reference as given. */
export const manualCardProcessor: PaymentProcessor = {
  name: 'manual',
  charge: async (request) => ({ approved: true, processorReference: request.cardReference }),
  refund: async (request) => ({ approved: true, processorReference: request.processorReference }),
};

/** A card reference starting with this is declined by the fake processor: how tests and demos show a decline. */
export const FAKE_DECLINED_CARD_PREFIX = 'tok_decline';

const fakeReference = (kind: string, key: string) => `fake_${kind}_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

/** Deterministic stand-in for a card processor: approves, except the documented declining references. */
export const fakeCardProcessor: PaymentProcessor = {
  name: 'fake-card',
  charge: async (request) =>
    request.cardReference?.startsWith(FAKE_DECLINED_CARD_PREFIX)
      ? { approved: false, reason: 'card_declined' }
      : { approved: true, processorReference: fakeReference('ch', request.idempotencyKey) },
  refund: async (request) => ({ approved: true, processorReference: fakeReference('re', request.idempotencyKey) }),
};

export const CARD_PROCESSORS = { manual: manualCardProcessor, 'fake-card': fakeCardProcessor } as const;
export type CardProcessorName = keyof typeof CARD_PROCESSORS;

export function processorFor(method: 'cash' | 'card', cardProcessor: CardProcessorName): PaymentProcessor {
  return method === 'cash' ? cashProcessor : CARD_PROCESSORS[cardProcessor];
}

/** The processor that took a payment, for its refund, whatever the stage is configured with now. */
export function processorNamed(name: string): PaymentProcessor {
  const found = [cashProcessor, manualCardProcessor, fakeCardProcessor].find((processor) => processor.name === name);
  if (!found) throw new Error(`unknown payment processor ${name}`);
  return found;
}
