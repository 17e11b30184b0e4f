// Replaying a site's archived events to one function: read in (occurredAt, id) order, filtered by type, sent in
// batches of SNS-shaped records, one batch after the other (each invocation synchronous), so the target sees them
// in order. The first failed batch stops the replay; a time budget pauses it. Either way the answer carries the
// cursor just after the last batch the target accepted, and the caller resumes from it (scripts/replay.ts loops).
// At least once: a batch that failed part-way is sent again whole on resume, so targets are idempotent per event id.
import type { SNSEventRecord } from 'aws-lambda';
import type { ArchiveReader } from './archive-store';
import { fitsBatch, snsRecordOf, type ReplayRequest } from './replay-rules';

export type InvokeOutcome = { ok: true } | { ok: false; error: string };

/** How a batch reaches the target; Lambda's Invoke (RequestResponse) in target-invoker.ts, a fake in unit tests. */
export interface TargetInvoker {
  invoke(target: string, event: { Records: SNSEventRecord[] }): Promise<InvokeOutcome>;
}

export type ReplayResult =
  /** Every matching event was delivered. */
  | { replayed: number; done: true }
  /** The time budget ran out: call again with `cursor: nextCursor`. */
  | { replayed: number; done: false; nextCursor: string }
  /**
   * The target failed a batch (or could not be invoked): nothing after the last accepted batch was sent.
   * `nextCursor` resumes just after it; absent, nothing was accepted yet and the replay starts from the beginning.
   */
  | { replayed: number; done: false; nextCursor?: string; failed: { error: string; eventIds: string[] } };

export interface ReplayDeps {
  reader: ArchiveReader;
  invoker: TargetInvoker;
  /** Milliseconds left of this run's time budget. */
  remainingMs: () => number;
}

interface Pending {
  records: SNSEventRecord[];
  bytes: number;
  /** The cursor after the batch's last event. */
  cursor?: string;
}

export async function replayArchivedEvents(request: ReplayRequest, deps: ReplayDeps): Promise<ReplayResult> {
  let replayed = 0;
  let accepted = request.cursor;
  let batch: Pending = { records: [], bytes: 0 };

  // Sends the batch; undefined when the target took it, the result to return when the replay must stop.
  const send = async (): Promise<ReplayResult | undefined> => {
    // Every run delivers a batch before it looks at the budget, so a caller's loop always advances.
    if (replayed > 0 && deps.remainingMs() <= 0) return { replayed, done: false, nextCursor: accepted! };
    const outcome = await deps.invoker.invoke(request.target, { Records: batch.records }).catch((error: unknown) => ({
      ok: false as const,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }));
    if (!outcome.ok) {
      const eventIds = batch.records.map((r) => r.Sns.MessageId);
      return { replayed, done: false, ...(accepted !== undefined && { nextCursor: accepted }), failed: { error: outcome.error, eventIds } };
    }
    replayed += batch.records.length;
    accepted = batch.cursor;
    batch = { records: [], bytes: 0 };
    return undefined;
  };

  const query = { siteId: request.siteId, types: request.types, from: request.from, to: request.to };
  for await (const { event, cursor } of deps.reader.read(query, request.cursor)) {
    const bytes = Buffer.byteLength(event.message, 'utf8');
    if (batch.records.length > 0 && !fitsBatch(batch.bytes, bytes)) {
      const stop = await send();
      if (stop) return stop;
    }
    batch.records.push(snsRecordOf(event, request.attributes));
    batch.bytes += bytes;
    batch.cursor = cursor;
    if (batch.records.length >= request.batchSize) {
      const stop = await send();
      if (stop) return stop;
    }
  }
  if (batch.records.length > 0) {
    const stop = await send();
    if (stop) return stop;
  }
  return { replayed, done: true };
}
