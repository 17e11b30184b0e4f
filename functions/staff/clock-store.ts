// The time clock (table.ts has the layout):
//   SITE#{site}#STAFF / CLOCK#{user}                          the person's clock: state, open shift, version
//   SITE#{site}#PUNCHES#{user} / PUNCH#{at}#{shift}#{seq}     the raw punches, immutable
// A tap is one transaction: the clock on condition of the version read (absent at version 0), each punch on
// condition it is new, the Idempotency-Key's record and the events' outbox items; the table's stream publishes them.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryAll, queryPage, type Item } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents, type TransactItem } from '#shared/outbox';
import { OFF_CLOCK, type Clock } from './clock-rules';
import type { PunchRecord } from './schemas';
import { partitions, staffKeys, staffPrefixes } from './table';

export interface ClockRow extends Clock {
  siteId: string;
  userId: string;
  updatedAt: string;
}

export class ClockStore {
  constructor(
    private readonly table: string,
    private readonly topicArn: string,
  ) {}

  /** The person's clock, strongly consistent (a tap decides on it); off at version 0 before their first punch. */
  async clock(siteId: string, userId: string): Promise<Clock> {
    const { Item: stored } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.clock(siteId, userId), ConsistentRead: true }));
    if (!stored) return OFF_CLOCK;
    const { state, shift, seq, version } = stored as ClockRow;
    return { state, ...(shift ? { shift } : {}), seq, version };
  }

  /** The transaction items of a tap: the clock first (its condition is the one a concurrent tap breaks), then the punches. */
  tapWrites(siteId: string, userId: string, before: Clock, after: Clock, punches: readonly PunchRecord[], now: string): TransactItem[] {
    const row: ClockRow = { siteId, userId, ...after, updatedAt: now };
    return [
      {
        Put: {
          TableName: this.table,
          Item: { ...staffKeys.clock(siteId, userId), ...row },
          ...(before.version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': before.version } }),
        },
      },
      ...punches.map((punch) => ({
        Put: { TableName: this.table, Item: { ...staffKeys.punch(siteId, userId, punch.at, punch.shiftId, punch.seq), ...punch }, ConditionExpression: 'attribute_not_exists(pk)' },
      })),
    ];
  }

  rawItem(key: { pk: string; sk: string }): Promise<Item | undefined> {
    return dynamoDb()
      .send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }))
      .then(({ Item }) => Item);
  }

  commit(items: TransactItem[], events: EventEnvelope[]): Promise<void> {
    return commitWithEvents({ tableName: this.table, topicArn: this.topicArn, publishedBy: 'stream' }, items, events);
  }

  /** The person's punches from `start` (inclusive) to `end` (exclusive), UTC ISO instants, oldest first. */
  async punches(siteId: string, userId: string, start: string, end: string, limit: number, cursor: string | undefined): Promise<{ punches: PunchRecord[]; nextCursor?: string }> {
    const page = await queryPage(
      {
        TableName: this.table,
        // `PUNCH#{end}` sorts after every punch at an earlier instant and before any at `end` itself.
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': partitions.punches(siteId, userId), ':from': `PUNCH#${start}`, ':to': `PUNCH#${end}` },
        Limit: limit,
      },
      cursor,
    );
    return { punches: page.items.map(punchOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** Everyone at the site whose clock is not off: who is working or on a break now. */
  async onTheClock(siteId: string): Promise<ClockRow[]> {
    const rows = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#state <> :off',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': partitions.staff(siteId), ':prefix': staffPrefixes.clocks, ':off': 'off' },
    });
    return rows.map((item) => {
      const { pk: _pk, sk: _sk, ...row } = item;
      return row as ClockRow;
    });
  }
}

function punchOf(item: Item): PunchRecord {
  const { pk: _pk, sk: _sk, ...punch } = item;
  return punch as PunchRecord;
}
