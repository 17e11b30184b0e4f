import { z } from 'zod';
import { loadConfig } from '#shared/config';
import { DemoStore } from './store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    EVENTS_TOPIC_ARN: z.string().startsWith('arn:'),
  }),
);

export const store = new DemoStore(config.TABLE_NAME);
