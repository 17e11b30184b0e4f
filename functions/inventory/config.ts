import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { DepletionStore } from './depletion-store';
import { HoldStore } from './hold-store';
import { ItemStore } from './item-store';
import { PurchaseOrderStore } from './purchase-order-store';
import { RecipeStore } from './recipe-store';
import { ReportStore } from './report-store';
import { SiteStore } from './site-store';
import { StockStore } from './stock-store';
import { SupplierStore } from './supplier-store';
import { LowStockStore } from './low-stock-store';
import { PurchaseDraftStore } from './purchase-draft-store';
import { DemandForecastStore } from './demand-forecast-store';
import { ReorderSettingsStore } from './reorder-settings-store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    EVENTS_TOPIC_ARN: z.string().startsWith('arn:'),
    /** Low stock and its end go to the alerts topic (low-stock-publishing.ts). */
    ALERTS_TOPIC_ARN: z.string().startsWith('arn:'),
    OUTBOX_RELAY_MIN_AGE_SECONDS: z.coerce.number().int().min(1).default(30),
  }),
);

// One table, one store per aggregate (table.ts has the layout they share).
export const itemStore = new ItemStore(config.TABLE_NAME);
export const stockStore = new StockStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
export const depletionStore = new DepletionStore(config.TABLE_NAME);
export const recipeStore = new RecipeStore(config.TABLE_NAME);
export const reportStore = new ReportStore(config.TABLE_NAME);
export const holdStore = new HoldStore(config.TABLE_NAME);
export const siteStore = new SiteStore(config.TABLE_NAME);
export const purchaseOrderStore = new PurchaseOrderStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
// Suppliers and their offers, low-stock episodes, automatic purchase-order drafts.
export const supplierStore = new SupplierStore(config.TABLE_NAME);
export const lowStockStore = new LowStockStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
export const purchaseDraftStore = new PurchaseDraftStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
// The forecast domain's expected ingredient use, for reorder suggestions and the drafts' targets.
export const demandForecastStore = new DemandForecastStore(config.TABLE_NAME);
export const reorderSettingsStore = new ReorderSettingsStore(config.TABLE_NAME);
export const outboxTarget = { tableName: config.TABLE_NAME, topicArn: config.EVENTS_TOPIC_ARN };
