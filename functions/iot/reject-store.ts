// Refused telemetry in the iot table (table.ts has the whole layout):
//   SITE#{site}#REJECTS / {received}#{device}#{n}   a rejected reading or message, or a failed rule message (TTL 30 days)
// Keyed by receive time, device and position, so a retried message overwrites its own rejects; newest first.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryPage } from '#shared/dynamodb';
import type { RejectRecord } from './schemas';
import { DAY_S, inParallel, seconds, sitePk, strip } from './table';

const REJECT_TTL_S = 30 * DAY_S;
const WRITE_CONCURRENCY = 16;
const MAX_KEPT_PAYLOAD_CHARS = 16 * 1024;

const rejectsPk = (siteId: string) => `${sitePk(siteId)}#REJECTS`;

/** A payload too big to keep whole is kept as the start of its JSON. */
function keepable(payload: unknown): unknown {
  const json = JSON.stringify(payload) ?? 'undefined';
  return json.length <= MAX_KEPT_PAYLOAD_CHARS ? payload : { truncatedJson: json.slice(0, MAX_KEPT_PAYLOAD_CHARS) };
}

export class RejectStore {
  constructor(private readonly table: string) {}

  async putRejects(rejects: Array<RejectRecord & { position: string }>): Promise<void> {
    await inParallel(rejects, WRITE_CONCURRENCY, ({ position, payload, ...reject }) =>
      dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: rejectsPk(reject.siteId),
            sk: `${reject.receivedAt}#${reject.deviceId ?? '-'}#${position}`,
            ...reject,
            payload: keepable(payload),
            expiresAt: seconds(Date.parse(reject.receivedAt)) + REJECT_TTL_S,
          },
        }),
      ),
    );
  }

  /** A page of the site's rejects, newest first; the cursor is valid for the same site only. */
  async listRejects(siteId: string, page: { limit: number; cursor?: string }) {
    const { items, nextCursor } = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': rejectsPk(siteId) },
        ScanIndexForward: false,
        Limit: page.limit,
      },
      page.cursor,
    );
    return { rejects: items.map((item) => strip<RejectRecord>(item)), nextCursor };
  }
}
