// Punch edits (table.ts): SITE#{site}#PUNCHES#{user} / EDIT#{edit}, next to the raw punches they correct, so one
// query of the partition reads both. An edit is put only if absent; a decision is written on condition of the
// version read and still pending, in one transaction with the guard of every pay period it touches
// (timesheet-store.ts periodGuard): a period locked meanwhile cancels the decision (409), and a lock that read the
// period before the decision fails its own condition instead of locking hours it never saw.
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { cancellationReasons, isTransactionConflict, queryAll, queryWhile, VersionConflictError, type Item } from '#shared/dynamodb';
import { ConflictError } from '#shared/errors';
import type { TransactItem } from '#shared/outbox';
import type { PunchEditRecord } from './punch-edit-rules';
import type { PunchRecord } from './schemas';
import { partitions, staffKeys, staffPrefixes } from './table';

export class PeriodLockedError extends ConflictError {
  override name = 'PeriodLockedError';
}

export class PunchEditStore {
  constructor(private readonly table: string) {}

  async create(edit: PunchEditRecord): Promise<void> {
    await dynamoDb().send(
      new PutCommand({ TableName: this.table, Item: { ...staffKeys.punchEdit(edit.siteId, edit.userId, edit.editId), ...edit }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(siteId: string, userId: string, editId: string): Promise<PunchEditRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.punchEdit(siteId, userId, editId), ConsistentRead: true }));
    return Item ? recordOf<PunchEditRecord>(Item) : undefined;
  }

  /** All the person's edits at the site, oldest id first (ids are time-ordered). */
  async editsOf(siteId: string, userId: string, options: { consistent?: boolean } = {}): Promise<PunchEditRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.punches(siteId, userId), ':prefix': staffPrefixes.punchEdits },
      ...(options.consistent ? { ConsistentRead: true } : {}),
    });
    return items.map((item) => recordOf<PunchEditRecord>(item));
  }

  /** A page of the person's edits, oldest first, with `status` (all when absent), while `fits` takes them. */
  async editsPage(
    siteId: string,
    userId: string,
    status: PunchEditRecord['status'] | undefined,
    cursor: string | undefined,
    fits: (edit: PunchEditRecord) => boolean,
  ): Promise<{ edits: PunchEditRecord[]; nextCursor?: string }> {
    const values = { ':pk': partitions.punches(siteId, userId), ':prefix': staffPrefixes.punchEdits };
    const page = await queryWhile(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ...values, ':status': status } }
          : { ExpressionAttributeValues: values }),
      },
      cursor,
      (item) => ({ pk: String(item.pk), sk: String(item.sk) }),
      (item) => fits(recordOf<PunchEditRecord>(item)),
    );
    return { edits: page.items.map((item) => recordOf<PunchEditRecord>(item)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** The raw punches of one shift, wherever in time they lie (an edit names the shift, not its day). */
  async punchesOfShift(siteId: string, userId: string, shiftId: string): Promise<PunchRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'shiftId = :shift',
      ExpressionAttributeValues: { ':pk': partitions.punches(siteId, userId), ':prefix': 'PUNCH#', ':shift': shiftId },
    });
    return items.map((item) => recordOf<PunchRecord>(item));
  }

  /** Writes the decided edit on condition it is still the pending version read, with the periods' guards. */
  async decide(decided: PunchEditRecord, periodGuards: TransactItem[]): Promise<void> {
    const put: TransactItem = {
      Put: {
        TableName: this.table,
        Item: { ...staffKeys.punchEdit(decided.siteId, decided.userId, decided.editId), ...decided },
        ConditionExpression: 'version = :read AND #status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':read': decided.version - 1, ':pending': 'pending' },
      },
    };
    try {
      await dynamoDb().send(new TransactWriteCommand({ TransactItems: [put, ...periodGuards] }));
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[0] === 'ConditionalCheckFailed') throw new VersionConflictError('punch edit');
      if (reasons?.slice(1).includes('ConditionalCheckFailed')) throw new PeriodLockedError('The edit touches a pay period that was locked meanwhile: it can no longer change');
      if (isTransactionConflict(error)) throw new ConflictError('The edit or its pay period is being changed at this moment; retry');
      throw error;
    }
  }
}

export function recordOf<T>(item: Item): T {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as T;
}
