// Time-off requests (table.ts): SITE#{site}#TIMEOFF / TIMEOFF#{user}#{from}#{id}. Staff ask, managers approve or
// decline; the schedule refuses a shift on an approved day off and timesheets count approved leave as attendance.
import { queryAll } from '#shared/dynamodb';
import { addDays } from '#shared/time';
import { partitions } from './table';

export const TIME_OFF_STATUSES = ['pending', 'approved', 'declined', 'cancelled'] as const;

export interface TimeOffRecord {
  siteId: string;
  userId: string;
  requestId: string;
  /** Site-local days, inclusive. */
  from: string;
  to: string;
  /** Paid leave (연차, PTO) counts as attendance for 주휴; unpaid leave does not. */
  kind: 'paid' | 'unpaid' | 'sick';
  reason?: string;
  status: (typeof TIME_OFF_STATUSES)[number];
  version: number;
  requestedAt: string;
  requestedBy: string;
  decidedAt?: string;
  decidedBy?: string;
}

export class TimeOffStore {
  constructor(private readonly table: string) {}

  /** The person's requests, oldest `from` first. */
  async requestsOf(siteId: string, userId: string): Promise<TimeOffRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.timeOff(siteId), ':prefix': `TIMEOFF#${userId}#` },
    });
    return items.map(timeOffOf);
  }

  /** The local days `from`..`to` the person has approved leave on. */
  async approvedDaysOff(siteId: string, userId: string, from: string, to: string): Promise<Array<{ date: string; kind: TimeOffRecord['kind'] }>> {
    const days: Array<{ date: string; kind: TimeOffRecord['kind'] }> = [];
    for (const request of await this.requestsOf(siteId, userId)) {
      if (request.status !== 'approved') continue;
      for (let date = request.from > from ? request.from : from; date <= request.to && date <= to; date = addDays(date, 1)) days.push({ date, kind: request.kind });
    }
    return days.sort((a, b) => a.date.localeCompare(b.date));
  }
}

export function timeOffOf(item: Record<string, unknown>): TimeOffRecord {
  const { pk: _pk, sk: _sk, ...request } = item;
  return request as unknown as TimeOffRecord;
}
