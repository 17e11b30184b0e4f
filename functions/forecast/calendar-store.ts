// A site's closures and holidays in the forecast table (what calendar-rules.ts reads). Managers set them; nothing
// else writes them. Site ids are [A-Za-z0-9_-], so `#` only separates.
//   SITE#{site}#CALENDAR / DAY#{date}   kind (closed | holiday), name, updatedAt, updatedBy
//   SITE#{site}#CALENDAR / WEEKLY       closedWeekdays, updatedAt, updatedBy
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryAll } from '#shared/dynamodb';
import { WEEKDAYS, type Calendar, type CalendarDay, type Weekday } from './calendar-rules';

const calendarPk = (siteId: string) => `SITE#${siteId}#CALENDAR`;
const WEEKLY_SK = 'WEEKLY';

export interface Change {
  by: string;
  at: string;
}

const dayOf = (item: Record<string, unknown>): CalendarDay => ({
  date: item.date as string,
  kind: item.kind as CalendarDay['kind'],
  ...(typeof item.name === 'string' ? { name: item.name } : {}),
});

export class CalendarStore {
  constructor(private readonly table: string) {}

  /** The site's calendar with the marked days of `[from, to]`. */
  async between(siteId: string, from: string, to: string): Promise<Calendar> {
    const [days, weekly] = await Promise.all([
      queryAll({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': calendarPk(siteId), ':from': `DAY#${from}`, ':to': `DAY#${to}` },
      }),
      dynamoDb().send(new GetCommand({ TableName: this.table, Key: { pk: calendarPk(siteId), sk: WEEKLY_SK } })),
    ]);
    const closedWeekdays = ((weekly.Item?.closedWeekdays as string[] | undefined) ?? []).filter((day): day is Weekday => (WEEKDAYS as readonly string[]).includes(day));
    return { days: days.map(dayOf), closedWeekdays };
  }

  async putDay(siteId: string, day: CalendarDay, change: Change): Promise<void> {
    await dynamoDb().send(
      new PutCommand({ TableName: this.table, Item: { pk: calendarPk(siteId), sk: `DAY#${day.date}`, ...day, updatedAt: change.at, updatedBy: change.by } }),
    );
  }

  /** True when the day was marked. */
  async deleteDay(siteId: string, date: string): Promise<boolean> {
    const result = await dynamoDb().send(new DeleteCommand({ TableName: this.table, Key: { pk: calendarPk(siteId), sk: `DAY#${date}` }, ReturnValues: 'ALL_OLD' }));
    return result.Attributes !== undefined;
  }

  async putClosedWeekdays(siteId: string, closedWeekdays: readonly Weekday[], change: Change): Promise<void> {
    await dynamoDb().send(
      new PutCommand({ TableName: this.table, Item: { pk: calendarPk(siteId), sk: WEEKLY_SK, closedWeekdays: [...closedWeekdays], updatedAt: change.at, updatedBy: change.by } }),
    );
  }
}
