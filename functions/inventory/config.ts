import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { DepletionStore } from './depletion-store';
import { ItemStore } from './item-store';
import { RecipeStore } from './recipe-store';
import { SiteStore } from './site-store';
import { StockStore } from './stock-store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    EVENTS_TOPIC_ARN: z.string().startsWith('arn:'),
    OUTBOX_RELAY_MIN_AGE_SECONDS: z.coerce.number().int().min(1).default(30),
  }),
);

// One table, one store per aggregate (table.ts has the layout they share).
export const itemStore = new ItemStore(config.TABLE_NAME);
export const stockStore = new StockStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
export const depletionStore = new DepletionStore(config.TABLE_NAME);
export const recipeStore = new RecipeStore(config.TABLE_NAME);
export const siteStore = new SiteStore(config.TABLE_NAME);
export const outboxTarget = { tableName: config.TABLE_NAME, topicArn: config.EVENTS_TOPIC_ARN };
