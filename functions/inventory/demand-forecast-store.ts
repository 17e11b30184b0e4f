// The forecast domain's expected ingredient use (`forecast.ingredient-demand`), as inventory keeps it (table.ts has
// the whole layout). Only the newest run per site counts:
//   SITE#{site}#DEMAND / LATEST                               the newest run learnt: runId, createdAt, from, days,
//                                                             how many chunks it has; `runKey` orders runs
//   SITE#{site}#DEMAND / RUN#{createdAt}#{runId}#CHUNK#{n}    up to CHUNK_INGREDIENTS ingredients of that run:
//                                                             unit, daily and cumulativeSd in thousandths (integers)
// One item per site would not fit: 2,000 ingredients × 28 days × 2 series is ~1 MB of numbers, over DynamoDB's
// 400 KB. A run's chunks are written first, then LATEST is put on condition that it names an older run, so a
// reader following LATEST never sees half a run, and a late or redelivered older run changes nothing (no receipt
// needed: the put is idempotent, and an archive replay lands the same way). Chunks of superseded runs expire by TTL.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchWriteAll, isConditionFailure, queryAll } from '#shared/dynamodb';
import type { EventOf } from '#shared/contracts';
import { logger } from '#shared/logger';
import type { IngredientForecast } from './reorder-rules';
import { inventoryKeys, partitions } from './table';
import { MILLI, type BaseUnit } from './units';

/** What learn-demand-forecast.ts subscribes to (its filter policy in functions.yml). */
export const DEMAND_FORECAST_EVENTS = ['forecast.ingredient-demand'] as const;

/** Ingredients per chunk item: 250 × 56 numbers of at most 14 digits stay under ~240 KB of JSON (a unit test holds it). */
export const CHUNK_INGREDIENTS = 250;
/** A superseded run's chunks are kept this long (a reader may still be on them), then expire. */
const CHUNK_TTL_SECONDS = 7 * 24 * 60 * 60;

type DemandEvent = EventOf<'forecast.ingredient-demand'>;

/** The run a site's reorder suggestions use. */
export interface LatestDemand {
  runId: string;
  /** Epoch ms. */
  createdAt: number;
  from: string;
  days: number;
  /** By ingredient (inventory's itemId). */
  ingredients: Map<string, IngredientForecast>;
}

interface StoredIngredient {
  ingredientId: string;
  unit: BaseUnit;
  daily: number[];
  cumulativeSd: number[];
}

/** Orders runs: creation time, then run id (both sort as strings). */
const runKeyOf = (data: { createdAt: string; runId: string }) => `${data.createdAt}#${data.runId}`;
const chunkPrefix = (createdAt: string, runId: string) => `RUN#${createdAt}#${runId}#CHUNK#`;
const thousandths = (values: readonly number[]) => values.map((value) => Math.round(value * MILLI));

/** The items a run is kept as: its chunks, then the LATEST item that points to them. */
export function demandItems(event: DemandEvent, nowSeconds: number) {
  const { runId, createdAt, from, days, ingredients } = event.data;
  const pk = partitions.demand(event.siteId);
  const chunks: Array<Record<string, unknown>> = [];
  for (let i = 0; i * CHUNK_INGREDIENTS < ingredients.length; i++) {
    const stored: StoredIngredient[] = ingredients.slice(i * CHUNK_INGREDIENTS, (i + 1) * CHUNK_INGREDIENTS).map((ingredient) => ({
      ingredientId: ingredient.ingredientId,
      unit: ingredient.unit,
      daily: thousandths(ingredient.daily),
      cumulativeSd: thousandths(ingredient.cumulativeSd),
    }));
    chunks.push({ pk, sk: `${chunkPrefix(createdAt, runId)}${String(i).padStart(3, '0')}`, siteId: event.siteId, runId, ingredients: stored, expiresAt: nowSeconds + CHUNK_TTL_SECONDS });
  }
  const latest = { ...inventoryKeys.latestDemand(event.siteId), siteId: event.siteId, runId, createdAt, runKey: runKeyOf(event.data), from, days, chunks: chunks.length, eventId: event.id };
  return { chunks, latest };
}

export class DemandForecastStore {
  constructor(private readonly table: string) {}

  /** Keeps the run unless a run as new or newer is held; false when it was not newer. */
  async learn(event: DemandEvent): Promise<boolean> {
    const held = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.latestDemand(event.siteId), ConsistentRead: true }));
    if (held.Item && (held.Item.runKey as string) >= runKeyOf(event.data)) return false;
    const { chunks, latest } = demandItems(event, Math.floor(Date.now() / 1000));
    await batchWriteAll(this.table, chunks.map((put) => ({ put })));
    try {
      await dynamoDb().send(
        new PutCommand({ TableName: this.table, Item: latest, ConditionExpression: 'attribute_not_exists(pk) OR runKey < :runKey', ExpressionAttributeValues: { ':runKey': latest.runKey } }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The newest run learnt for the site, or undefined (none, or its chunks gone). */
  async latest(siteId: string): Promise<LatestDemand | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.latestDemand(siteId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { runId, createdAt, from, days, chunks } = Item as { runId: string; createdAt: string; from: string; days: number; chunks: number };
    const stored = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.demand(siteId), ':prefix': chunkPrefix(createdAt, runId) },
      ConsistentRead: true,
    });
    if (stored.length !== chunks) {
      logger.warn('demand forecast run incomplete: reorder suggestions fall back to par', { siteId, runId, chunks, found: stored.length });
      return undefined;
    }
    const created = Date.parse(createdAt);
    const ingredients = new Map<string, IngredientForecast>();
    for (const chunk of stored) {
      for (const ingredient of chunk.ingredients as StoredIngredient[]) {
        ingredients.set(ingredient.ingredientId, { runId, createdAt: created, from, unit: ingredient.unit, daily: ingredient.daily, cumulativeSd: ingredient.cumulativeSd });
      }
    }
    return { runId, createdAt: created, from, days, ingredients };
  }
}
