// Scheduled shifts and schedule weeks (table.ts has the layout):
//   SITE#{site}#SHIFTS / SHIFT#{date}#{shift}     a shift, draft or published; `date` is the site-local day it starts
//   SITE#{site}#SCHEDULE / WEEK#{weekStart}       a schedule week: published version and when
//   SITE#{site}#SHIFTS / PERSON#{user}            the person's schedule guard (a version)
// Reads here are what the time clock and timesheets need (a person's published shifts over local days); the
// schedule's own writes sit next to them. Every write of a shift is on condition of the version read (absent for a
// new one); a write that gives a shift to a person also bumps their guard on condition of the version read before
// their other shifts were, so two assignments checked against the same picture cannot both commit.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryAll } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents, type TransactItem } from '#shared/outbox';
import type { Conflict } from './schedule-rules';
import { nextVersionCondition, partitions, staffKeys } from './table';

export const SHIFT_STATUSES = ['draft', 'published'] as const;

export interface ShiftRecord {
  siteId: string;
  shiftId: string;
  /** The site-local day the shift starts on. */
  date: string;
  /** UTC ISO instants. */
  start: string;
  end: string;
  positionId: string;
  /** Absent: an open shift anyone with the position may claim. */
  userId?: string;
  status: (typeof SHIFT_STATUSES)[number];
  /** Unpaid break planned inside the shift, in minutes (for the labour cost and the worked hours planned). */
  breakMinutes: number;
  note?: string;
  /** What the schedule rules found when it was last written or published (schedule-rules.ts); an override is kept here. */
  flags: Conflict[];
  /** A manager scheduled it over a refusable conflict. */
  override?: boolean;
  /** Published, then edited: the next publish of its days tells its person again. */
  republish?: boolean;
  publishedAt?: string;
  /** What the last publish told its person (absent: it was open): if someone else has it at the next, that one tells them it is gone. */
  lastPublished?: { userId: string; start: string; end: string; positionId: string };
  /** A swap its person proposed, waiting for a manager. */
  swap?: { toUserId: string; proposedBy: string; proposedAt: string };
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export class ShiftStore {
  constructor(
    private readonly table: string,
    private readonly topicArn: string,
  ) {}

  /** Every shift starting on the local days `from`..`to` (inclusive), in start-day order. */
  async shiftsOn(siteId: string, from: string, to: string, options: { consistent?: boolean } = {}): Promise<ShiftRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      // `SHIFT#{to}~` sorts after every shift of day `to`.
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': partitions.shifts(siteId), ':from': `SHIFT#${from}`, ':to': `SHIFT#${to}~` },
      ...(options.consistent ? { ConsistentRead: true } : {}),
    });
    return items.map(shiftOf);
  }

  /** One shift, strongly consistent (a write decides on it). */
  async get(siteId: string, date: string, shiftId: string): Promise<ShiftRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.shift(siteId, date, shiftId), ConsistentRead: true }));
    return Item ? shiftOf(Item) : undefined;
  }

  /** The version of the person's schedule guard (0 before their first assignment); read before their shifts. */
  async guardVersion(siteId: string, userId: string): Promise<number> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.scheduleGuard(siteId, userId), ConsistentRead: true }));
    return (Item?.version as number | undefined) ?? 0;
  }

  /**
   * Writes `shift` (its version already the next one; version 1 is a create), or deletes it when `remove`, and bumps
   * the guard of the person it is given to when `guard` says so. Any condition failure throws the transaction's own
   * error, which the use case's retry re-reads and decides again.
   */
  async write(shift: ShiftRecord, guard?: { userId: string; read: number }, remove = false): Promise<void> {
    const key = staffKeys.shift(shift.siteId, shift.date, shift.shiftId);
    const items: TransactItem[] = [
      remove
        ? { Delete: { TableName: this.table, Key: key, ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': shift.version } } }
        : {
            Put: {
              TableName: this.table,
              Item: { ...key, ...shift },
              ...nextVersionCondition(shift.version),
            },
          },
    ];
    if (guard) items.push(this.guardWrite(shift.siteId, guard.userId, guard.read));
    await dynamoDb().send(new TransactWriteCommand({ TransactItems: items }));
  }

  /**
   * Publishes: every shift (versions already the next ones) on condition of the version read, the weeks' records and
   * the events' outbox items, in one transaction (the caller keeps it under DynamoDB's 100 items).
   */
  async publish(siteId: string, shifts: readonly ShiftRecord[], weeks: readonly string[], at: string, by: string, events: EventEnvelope[]): Promise<void> {
    const items: TransactItem[] = shifts.map((shift) => ({
      Put: {
        TableName: this.table,
        Item: { ...staffKeys.shift(siteId, shift.date, shift.shiftId), ...shift },
        ...nextVersionCondition(shift.version),
      },
    }));
    for (const weekStart of weeks) {
      items.push({
        Update: {
          TableName: this.table,
          Key: staffKeys.scheduleWeek(siteId, weekStart),
          UpdateExpression: 'SET siteId = :site, weekStart = :week, publishedAt = :at, publishedBy = :by ADD version :one',
          ExpressionAttributeValues: { ':site': siteId, ':week': weekStart, ':at': at, ':by': by, ':one': 1 },
        },
      });
    }
    await commitWithEvents({ tableName: this.table, topicArn: this.topicArn, publishedBy: 'stream' }, items, events);
  }

  /** The schedule weeks' records over `from`..`to` (week starts). */
  async weeks(siteId: string, from: string, to: string): Promise<Array<{ weekStart: string; version: number; publishedAt: string; publishedBy: string }>> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': partitions.schedule(siteId), ':from': `WEEK#${from}`, ':to': `WEEK#${to}` },
    });
    return items.map(({ weekStart, version, publishedAt, publishedBy }) => ({ weekStart, version, publishedAt, publishedBy }));
  }

  private guardWrite(siteId: string, userId: string, read: number): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...staffKeys.scheduleGuard(siteId, userId), siteId, userId, version: read + 1 },
        ...nextVersionCondition(read + 1),
      },
    };
  }

  /** One person's published shifts starting on the local days `from`..`to`: what the clock and timesheets hold them to. */
  async publishedShiftsOf(siteId: string, userId: string, from: string, to: string): Promise<ShiftRecord[]> {
    return (await this.shiftsOn(siteId, from, to)).filter((shift) => shift.status === 'published' && shift.userId === userId);
  }
}

export function shiftOf(item: Record<string, unknown>): ShiftRecord {
  const { pk: _pk, sk: _sk, ...shift } = item;
  return { flags: [], ...shift } as unknown as ShiftRecord;
}

