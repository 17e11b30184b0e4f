// Puts the demo's history (analytics-history.ts) where the live path would have left it: every event in the event
// archive, and the analytics figures and state they make, summed by the consumer's own rules (fold.ts). Once per
// store: a marker item says the history is there, so a restart neither doubles it nor moves it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { operationsDelta, OPERATIONS_EVENTS, type OperationsEvent, type PayRates } from '../../functions/analytics/operations-rules';
import { foldDeltas } from '../../functions/analytics/fold';
import { SALES_EVENTS, salesDelta, type Delta, type SalesEvent } from '../../functions/analytics/sales-rules';
import { costState, menuItemState, ratesState } from '../../functions/analytics/state-store';
import { archiveItem } from '../../functions/archive/archive-store';
import { DEFAULT_RETENTION_DAYS } from '../../functions/archive/archive-rules';
import type { EventData } from '../../functions/shared/contracts';
import type { EventEnvelope } from '../../functions/shared/events';
import { addDays } from '../../functions/shared/time';
import { demoHistoryEvents, HISTORY_DAYS, type HistoryInput } from './analytics-history';
import { forecastHistory } from './forecast-history';
import { forecastRecipeItems } from './forecast-recipes';
import { accuracyBackfill } from './forecast-accuracy-backfill';
import { DEMO_BUSINESS_DAY_STARTS_AT } from './menu';
import { forecastStaffingItems } from './forecast-staffing';

const MARKER = (siteId: string) => ({ pk: 'DEMO', sk: `HISTORY#${siteId}` });

const isType = <T extends readonly string[]>(types: T, event: EventEnvelope): event is EventEnvelope & { type: T[number] } => types.includes(event.type);

/** The figures and state the consumer would have built from `events`, in their order. */
export function historyItems(siteId: string, timeZone: string, currency: string, events: readonly EventEnvelope[]): Array<Record<string, unknown>> {
  const rates = new Map<string, PayRates>();
  const state: Array<Record<string, unknown>> = [];
  const deltas: Delta[] = [];
  for (const event of events) {
    if (event.type === 'staff.pay-rates-changed') {
      const data = event.data as EventData<'staff.pay-rates-changed'>;
      rates.set(data.userId, data);
      state.push(ratesState(siteId, data));
    } else if (event.type === 'menu.item-changed') state.push(menuItemState(siteId, event.data as EventData<'menu.item-changed'>));
    else if (isType(SALES_EVENTS, event)) deltas.push(salesDelta(event as SalesEvent, timeZone));
    else if (isType(OPERATIONS_EVENTS, event)) {
      const operation = event as OperationsEvent;
      if (operation.type === 'inventory.movement-recorded') {
        const { itemId, itemName, unit, averageCost, at, movementId } = operation.data;
        state.push(costState(siteId, { ingredientId: itemId, name: itemName, unit, averageCost, at, movementId }));
      }
      const userId = operation.type === 'staff.clocked-out' ? operation.data.userId : undefined;
      const businessDay = { timeZone, startsAt: DEMO_BUSINESS_DAY_STARTS_AT };
      const delta = operationsDelta(operation, timeZone, { ...(userId && rates.has(userId) ? { rates: rates.get(userId)! } : {}), currency, businessDay });
      if (delta) deltas.push(delta);
    }
  }
  // The newest state per key wins, as the store's conditional puts decide.
  const latest = new Map(state.map((item) => [`${item.pk as string}|${item.sk as string}`, item]));
  return [...foldDeltas(siteId, deltas), ...latest.values()];
}

/** Seeds the history once; returns how many events it archived (0 when it was there already). */
export async function seedAnalyticsHistory(db: DynamoDBDocumentClient, stage: string, input: HistoryInput): Promise<number> {
  const analyticsTable = `brigade-${stage}-analytics`;
  const marker = await db.send(new GetCommand({ TableName: analyticsTable, Key: MARKER(input.siteId), ConsistentRead: true }));
  if (marker.Item) return 0;
  const events = demoHistoryEvents(input);
  const topic = (event: EventEnvelope) => `arn:aws:sns:us-east-1:000000000000:brigade-${stage}-${event.type.startsWith('iot.') ? 'alerts' : 'events'}`;
  const retentionSeconds = DEFAULT_RETENTION_DAYS * 24 * 3600;
  const folded = historyItems(input.siteId, input.timeZone, input.currency, events);
  // The days analytics' publishDailyFigures would have published from those figures, for the forecast domain.
  const daily = forecastHistory({ ...input, from: addDays(input.today, -HISTORY_DAYS), to: addDays(input.today, -1), folded });
  await Promise.all([
    putAll(
      db,
      `brigade-${stage}-archive`,
      [...events, ...daily.events].map((event) => archiveItem({ envelope: event, message: JSON.stringify(event), topicArn: topic(event), attributes: attributesOf(event), expiresAt: Math.floor(Date.parse(event.occurredAt) / 1000) + retentionSeconds })),
    ),
    putAll(db, analyticsTable, [...folded, ...daily.analyticsItems]),
    putAll(db, `brigade-${stage}-forecast`, [
      ...daily.forecastItems,
      ...forecastRecipeItems(events),
      ...forecastStaffingItems(input.siteId, events, new Date().toISOString()),
      ...accuracyBackfill(input.siteId, daily.events.map((event) => event.data)),
    ]),
  ]);
  try {
    await db.send(new PutCommand({ TableName: analyticsTable, Item: { ...MARKER(input.siteId), events: events.length, seededAt: new Date().toISOString(), through: events.at(-1)?.occurredAt }, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return events.length;
}

const attributesOf = (event: EventEnvelope) =>
  Object.fromEntries((['type', 'siteId', 'source'] as const).map((name) => [name, { Type: 'String', Value: event[name] }]));


/** Puts in batches of 25, a few batches at a time, until DynamoDB has taken every item. */
async function putAll(db: DynamoDBDocumentClient, table: string, items: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25) as Array<Record<string, unknown>>);
  const putBatch = async (batch: Array<Record<string, unknown>>) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`${table}: ${pending.length} items left unprocessed`);
      const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (UnprocessedItems?.[table] ?? []) as typeof pending;
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  };
  for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(putBatch));
}
