import { z } from 'zod';
import { loadConfig } from '#shared/config';
import { alertOutboxDeps } from './alerts';
import { IotStore } from './store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    ALERTS_TOPIC_ARN: z.string().startsWith('arn:'),
    /** The AWS::IoT::Policy every device certificate gets (resources/iot.yml). */
    DEVICE_POLICY_NAME: z.string().min(1),
    STAGE: z.string().min(1),
    OUTBOX_RELAY_MIN_AGE_SECONDS: z.coerce.number().int().min(1).default(30),
  }),
);

export const store = new IotStore(config.TABLE_NAME, { topicArn: config.ALERTS_TOPIC_ARN, deps: alertOutboxDeps() });
export const outboxTarget = { tableName: config.TABLE_NAME, topicArn: config.ALERTS_TOPIC_ARN };
