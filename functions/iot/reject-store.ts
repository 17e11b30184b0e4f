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

/**
 * A payload is kept as its JSON text: a device's JSON may hold what a DynamoDB map cannot (1e300, 1e-200, more
 * than 32 levels of nesting), and a reject that cannot be written would hand its message back again and again.
 * One too big to keep whole is kept as the start of its JSON.
 */
function keptPayload(payload: unknown): { payloadJson: string } | { payloadJson: string; payloadTruncated: true } {
  const json = JSON.stringify(payload) ?? 'null';
  return json.length <= MAX_KEPT_PAYLOAD_CHARS ? { payloadJson: json } : { payloadJson: json.slice(0, MAX_KEPT_PAYLOAD_CHARS), payloadTruncated: true };
}

/** The payload as the API shows it; rejects written before payloadJson kept it as a map. */
function payloadOf(item: Record<string, unknown>): unknown {
  if (typeof item.payloadJson !== 'string') return item.payload;
  return item.payloadTruncated === true ? { truncatedJson: item.payloadJson } : JSON.parse(item.payloadJson);
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
            ...keptPayload(payload),
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
    return {
      rejects: items.map((item) => {
        const { payloadJson: _json, payloadTruncated: _truncated, ...record } = strip<Record<string, unknown>>(item);
        return { ...record, payload: payloadOf(item) } as RejectRecord;
      }),
      nextCursor,
    };
  }
}
