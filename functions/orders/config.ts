import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { CARD_PROCESSORS, type CardProcessorName } from './payment-processors';
import { OrdersStore } from './store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    EVENTS_TOPIC_ARN: z.string().startsWith('arn:'),
    PAYMENT_PROCESSOR: z.enum(Object.keys(CARD_PROCESSORS) as [CardProcessorName, ...CardProcessorName[]]).default('manual'),
    // Secrets Manager name of the customer-reference key (customer-ref-key.ts).
    CUSTOMER_REF_KEY_SECRET: z.string().min(1),
    OUTBOX_RELAY_MIN_AGE_SECONDS: z.coerce.number().int().min(1).default(30),
  }),
);

export const store = new OrdersStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
export const outboxTarget = { tableName: config.TABLE_NAME, topicArn: config.EVENTS_TOPIC_ARN };
