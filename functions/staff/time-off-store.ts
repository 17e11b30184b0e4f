// Time-off requests (table.ts): SITE#{site}#TIMEOFF / TIMEOFF#{user}#{from}#{id}. Staff ask, managers approve or
// decline; the schedule refuses a shift on an approved day off and timesheets count approved leave as attendance.
// A new request is one transaction with the person's time-off guard (on condition of the version read before their
// requests were), so two overlapping requests filed at once cannot both land; a decision or a cancel is a write on
// condition of the request's version.
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, queryAll, queryWhile, VersionConflictError, type Item } from '#shared/dynamodb';
import { addDays } from '#shared/time';
import { nextVersionCondition, partitions, staffKeys } from './table';

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
  async requestsOf(siteId: string, userId: string, options: { consistent?: boolean } = {}): Promise<TimeOffRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      ...(options.consistent ? { ConsistentRead: true } : {}),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.timeOff(siteId), ':prefix': `TIMEOFF#${userId}#` },
    });
    return items.map(timeOffOf);
  }

  /**
   * A page of requests, by person then `from`: one person's (`userId`) or the site's, with `status` (all when
   * absent), for as long as `fits` takes them; `nextCursor` for the rest.
   */
  async requestsPage(
    siteId: string,
    filter: { userId?: string; status?: TimeOffRecord['status'] },
    cursor: string | undefined,
    fits: (request: TimeOffRecord) => boolean,
  ): Promise<{ requests: TimeOffRecord[]; nextCursor?: string }> {
    const values = { ':pk': partitions.timeOff(siteId), ':prefix': filter.userId ? `TIMEOFF#${filter.userId}#` : 'TIMEOFF#' };
    const page = await queryWhile(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(filter.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ...values, ':status': filter.status } }
          : { ExpressionAttributeValues: values }),
      },
      cursor,
      (item: Item) => ({ pk: String(item.pk), sk: String(item.sk) }),
      (item) => fits(timeOffOf(item)),
    );
    return { requests: page.items.map(timeOffOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** The version of the person's time-off guard (0 before their first request); read before their requests. */
  async guardVersion(siteId: string, userId: string): Promise<number> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.timeOffGuard(siteId, userId), ConsistentRead: true }));
    return (Item?.version as number | undefined) ?? 0;
  }

  /** Files a new request with the guard bump; a lost race throws the transaction's error (the caller re-reads). */
  async file(request: TimeOffRecord, guardRead: number): Promise<void> {
    const { siteId, userId } = request;
    await dynamoDb().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table, Item: { ...staffKeys.timeOff(siteId, userId, request.from, request.requestId), ...request }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: this.table,
              Item: { ...staffKeys.timeOffGuard(siteId, userId), siteId, userId, version: guardRead + 1 },
              ...nextVersionCondition(guardRead + 1),
            },
          },
        ],
      }),
    );
  }

  /** Writes a decision or a cancel (`request.version` already the next one) on condition of the version before. */
  async update(request: TimeOffRecord): Promise<void> {
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...staffKeys.timeOff(request.siteId, request.userId, request.from, request.requestId), ...request },
          ...nextVersionCondition(request.version),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new VersionConflictError('time-off request', { expectedVersion: request.version - 1 });
    }
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
