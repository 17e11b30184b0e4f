// The forecast domain's suggested staffing (`forecast.staffing-suggested`), one item per site and day, so the
// schedule read shows it beside the shifts without reading forecast's table (table.ts):
//   SITE#{site}#STAFFING / DAY#{date}     runId, createdAt, currency, closed, netSales, covers, hours, labourHours,
//                                         labourCost?, labourPercentBps?, eventId
// Each run suggests every day of its horizon again; the put keeps the newest run's day (by `createdAt`), so order and
// redelivery do not matter and no receipt is needed.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, queryAll } from '#shared/dynamodb';
import type { EventData, EventOf } from '#shared/contracts';

/** What learn-staffing-suggestions.ts subscribes to (its filter policy in functions.yml). */
export const STAFFING_SUGGESTION_EVENTS = ['forecast.staffing-suggested'] as const;

type SuggestedDay = EventData<'forecast.staffing-suggested'>['days'][number];

export interface StaffingSuggestionRecord extends SuggestedDay {
  runId: string;
  createdAt: string;
  currency?: string;
}

const sitePk = (siteId: string) => `SITE#${siteId}#STAFFING`;

export class StaffingSuggestionStore {
  constructor(private readonly table: string) {}

  /**
   * Keeps each day of the run unless a newer run's is stored; the number of days kept. One day after the other, in the
   * event's order (oldest first): once its last day is readable, the whole run has been applied.
   */
  async learn(event: EventOf<'forecast.staffing-suggested'>): Promise<number> {
    const { runId, createdAt, currency, days } = event.data;
    let kept = 0;
    for (const day of days) {
      try {
        await dynamoDb().send(
          new PutCommand({
            TableName: this.table,
            Item: { pk: sitePk(event.siteId), sk: `DAY#${day.date}`, ...day, runId, createdAt, ...(currency ? { currency } : {}), eventId: event.id },
            ConditionExpression: 'attribute_not_exists(pk) OR createdAt <= :createdAt',
            ExpressionAttributeValues: { ':createdAt': createdAt },
          }),
        );
        kept += 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return kept;
  }

  /** The suggestions known for the site-local days `from`..`to`, oldest first. */
  async daysOf(siteId: string, from: string, to: string): Promise<StaffingSuggestionRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': sitePk(siteId), ':from': `DAY#${from}`, ':to': `DAY#${to}` },
    });
    return items.map(({ pk: _pk, sk: _sk, eventId: _eventId, ...day }) => day as StaffingSuggestionRecord);
  }
}
