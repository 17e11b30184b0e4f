// The archive table, `brigade-<stage>-archive`: every domain event of the events and alerts topics, one item each,
// kept as it came, so a consumer deployed later (or rebuilding) can be given a site's history in order.
//   SITE#{siteId} / {occurredAt}#{eventId}   the envelope's JSON (`message`), `type`, the topic it came from, the
//                                            message attributes it was published with, `expiresAt` (TTL)
// occurredAt is normalised to `Date.toISOString()` (archive-rules.ts), so the sort key orders by time, then by id.
// Written put-if-absent: a redelivery finds the item and writes nothing, so no receipt is needed.
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { decodeCursor, encodeCursor, executeStatements, insertStatement, type Item } from '#shared/dynamodb';
import { archiveKey, archivePk, type ArchivedEnvelope } from './archive-rules';
import type { ArchivedEvent } from './replay-rules';

/** Read ahead of the batches a replay sends: one page feeds a whole batch of 100 when no type filter drops some. */
const READ_PAGE_SIZE = 200;
// Above every `{instant}#{id}` sort key: the end of an open range.
const AFTER_EVERY_EVENT = '~';
const BEFORE_EVERY_EVENT = '0';

export interface ArchiveInput {
  envelope: ArchivedEnvelope;
  message: string;
  topicArn: string;
  attributes: Record<string, { Type: string; Value: string }>;
  expiresAt: number;
}

/** Which of a site's events a replay reads. */
export interface ReplayQuery {
  siteId: string;
  types?: readonly string[];
  from?: string;
  to?: string;
}

/** An archived event and the cursor that resumes a replay just after it. */
export interface ReadEvent {
  event: ArchivedEvent;
  cursor: string;
}

/** What replay.ts reads through; a fake in the unit tests. */
export interface ArchiveReader {
  read(query: ReplayQuery, cursor: string | undefined): AsyncIterable<ReadEvent>;
}

/** The item an event is archived as (also how the demo seed writes its history: dev/seed/analytics.ts). */
export function archiveItem(input: ArchiveInput, archivedAt = new Date()): Item {
  return {
    ...archiveKey(input.envelope),
    eventId: input.envelope.id,
    type: input.envelope.type,
    occurredAt: input.envelope.occurredAt,
    topicArn: input.topicArn,
    attributes: input.attributes,
    message: input.message,
    archivedAt: archivedAt.toISOString(),
    expiresAt: input.expiresAt,
  };
}

export class ArchiveStore implements ArchiveReader {
  constructor(private readonly table: string) {}

  /**
   * Each event put if absent, 25 to a round trip, each on its own: `archived`, `already` (a redelivery: nothing
   * written), or the error that kept it out (only its own). Outcomes in the order of `inputs`.
   */
  async putAll(inputs: ArchiveInput[]): Promise<Array<'archived' | 'already' | Error>> {
    const archivedAt = new Date();
    const outcomes = await executeStatements(inputs.map((input) => insertStatement(this.table, archiveKey(input.envelope), archiveItem(input, archivedAt))));
    return outcomes.map((outcome, i) => {
      if (outcome.ok) return 'archived';
      if (outcome.code === 'DuplicateItem') return 'already';
      return new Error(`event ${inputs[i]!.envelope.id} not archived: ${outcome.code} ${outcome.message ?? ''}`);
    });
  }

  /**
   * The site's events in (occurredAt, id) order from just after `cursor`. A cursor is bound to its query (site, range
   * and types): one from another query is refused (a BadRequestError), never resumed at the wrong place.
   */
  async *read(query: ReplayQuery, cursor: string | undefined): AsyncIterable<ReadEvent> {
    const binding = queryOf(this.table, query);
    let start = decodeCursor(binding, cursor);
    do {
      const page = await dynamoDb().send(new QueryCommand({ ...binding, Limit: READ_PAGE_SIZE, ...(start && { ExclusiveStartKey: start }) }));
      for (const item of page.Items ?? []) yield { event: eventOf(item), cursor: encodeCursor(binding, { pk: item.pk, sk: item.sk })! };
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

function queryOf(table: string, query: ReplayQuery): QueryCommandInput {
  // `from` and `to` are `Date.toISOString()` instants: `{to}` sorts before every `{to}#{id}`, so `to` is exclusive.
  const values: Record<string, string> = {
    ':pk': archivePk(query.siteId),
    ':from': query.from ?? BEFORE_EVERY_EVENT,
    ':to': query.to ?? AFTER_EVERY_EVENT,
  };
  const types = query.types ?? [];
  types.forEach((type, i) => (values[`:t${i}`] = type));
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: values,
    ScanIndexForward: true,
    // Strongly consistent: an event archived a moment ago is replayed too.
    ConsistentRead: true,
    ...(types.length > 0 && {
      FilterExpression: `#type IN (${types.map((_, i) => `:t${i}`).join(', ')})`,
      ExpressionAttributeNames: { '#type': 'type' },
    }),
  };
}

function eventOf(item: Item): ArchivedEvent {
  return {
    eventId: item.eventId as string,
    type: item.type as string,
    occurredAt: item.occurredAt as string,
    topicArn: item.topicArn as string,
    message: item.message as string,
    attributes: (item.attributes ?? {}) as ArchivedEvent['attributes'],
  };
}
