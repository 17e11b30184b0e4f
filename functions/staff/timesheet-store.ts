// Timesheets (table.ts): SITE#{site}#TIMESHEETS / PERIOD#{from}#{user}, one item per person and pay period. Until
// approved the item is only a guard: `editsApproved` counts the punch edits approved into the period, bumped in the
// edit's own transaction on condition the period is not locked (punch-edit-store.ts). Approval writes the locked
// timesheet on condition that the guard is still the value read with the hours, so an edit approved between the
// read and the lock fails the lock (409, retry) instead of being left out of locked pay. A locked item is never
// rewritten: it holds the exact payroll input, the pack it was computed with and the result, with their digests.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, queryAll } from '#shared/dynamodb';
import { ConflictError } from '#shared/errors';
import type { TransactItem } from '#shared/outbox';
import type { PayrollInputData } from './payroll-input-schema';
import type { PayrollResult } from './payroll-engine';
import { recordOf } from './punch-edit-store';
import type { TimesheetView } from './timesheet-rules';
import { partitions, staffKeys, staffPrefixes } from './table';

/** An owner's reopening of a locked period: who, when, why, and what had been locked (digests and amount). */
export interface Reopening {
  reopenedAt: string;
  reopenedBy: string;
  reason: string;
  locked: { lockedAt: string; lockedBy: string; packRef: string; inputDigest: string; resultDigest: string; amount: number; currency: string };
}

export interface TimesheetGuard {
  siteId: string;
  userId: string;
  periodFrom: string;
  periodTo: string;
  status: 'open';
  editsApproved: number;
  /** Every reopening of the period, oldest first; a later lock keeps them. */
  reopenings?: Reopening[];
}

export interface LockedTimesheet {
  siteId: string;
  userId: string;
  periodFrom: string;
  periodTo: string;
  status: 'locked';
  editsApproved: number;
  lockedAt: string;
  lockedBy: string;
  /** The engine input exactly as computed from the records at approval, and its sha-256. */
  input: PayrollInputData;
  inputDigest: string;
  /** The pack pinned: `id@version` and the digest of its content. */
  packRef: string;
  packDigest: string;
  result: PayrollResult;
  resultDigest: string;
  /** The timesheet as the manager approved it: days, shifts with their sources, exceptions. */
  view: TimesheetView;
  reopenings?: Reopening[];
}

export type TimesheetItem = TimesheetGuard | LockedTimesheet;

export class TimesheetLockedError extends ConflictError {
  override name = 'TimesheetLockedError';
}

export class TimesheetStore {
  constructor(private readonly table: string) {}

  async get(siteId: string, periodFrom: string, userId: string): Promise<TimesheetItem | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.timesheet(siteId, periodFrom, userId), ConsistentRead: true }));
    return Item ? recordOf<TimesheetItem>(Item) : undefined;
  }

  /** Every person's item of the period (locked timesheets and guards). */
  async ofPeriod(siteId: string, periodFrom: string): Promise<TimesheetItem[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.timesheets(siteId), ':prefix': `${staffPrefixes.timesheets}${periodFrom}#` },
    });
    return items.map((item) => recordOf<TimesheetItem>(item));
  }

  /** A transaction item that fails unless the period is open, and counts one more approved edit in it. */
  periodGuard(siteId: string, userId: string, period: { from: string; to: string }): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: staffKeys.timesheet(siteId, period.from, userId),
        UpdateExpression: 'SET editsApproved = if_not_exists(editsApproved, :zero) + :one, #status = :open, siteId = :site, userId = :user, periodFrom = :from, periodTo = :to',
        ConditionExpression: 'attribute_not_exists(pk) OR #status <> :locked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':open': 'open', ':locked': 'locked', ':site': siteId, ':user': userId, ':from': period.from, ':to': period.to },
      },
    };
  }

  /** Opens the locked period again on condition it is still the lock read; the guard moves on, so no stale approval lands. */
  async reopen(locked: LockedTimesheet, reopening: Reopening): Promise<TimesheetGuard> {
    const guard: TimesheetGuard = {
      siteId: locked.siteId,
      userId: locked.userId,
      periodFrom: locked.periodFrom,
      periodTo: locked.periodTo,
      status: 'open',
      editsApproved: locked.editsApproved + 1,
      reopenings: [...(locked.reopenings ?? []), reopening],
    };
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...staffKeys.timesheet(locked.siteId, locked.periodFrom, locked.userId), ...guard },
          ConditionExpression: '#status = :locked AND lockedAt = :lockedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':locked': 'locked', ':lockedAt': locked.lockedAt },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new ConflictError('The timesheet was reopened or approved again meanwhile: reload it');
    }
    return guard;
  }

  /** Locks the period on condition that it is open and no edit was approved into it since `read`. */
  async lock(locked: LockedTimesheet, read: TimesheetItem | undefined): Promise<void> {
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...staffKeys.timesheet(locked.siteId, locked.periodFrom, locked.userId), ...locked },
          ...(read
            ? {
                ConditionExpression: '#status = :open AND editsApproved = :read',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':open': 'open', ':read': read.editsApproved },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const now = await this.get(locked.siteId, locked.periodFrom, locked.userId);
      if (now?.status === 'locked') throw new TimesheetLockedError('The timesheet is already approved and locked', { lockedAt: now.lockedAt, lockedBy: now.lockedBy });
      throw new ConflictError('A punch edit was approved into this period while it was being approved: review the timesheet again');
    }
  }
}
