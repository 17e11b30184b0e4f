// Lambda's SQS event source mapping, locally: a few pollers per mapping (Lambda starts with five concurrent
// batches) each gather up to `batchSize` messages, waiting at most `maximumBatchingWindowS` after the first one,
// and invoke the function once with the SQS event. A successful invocation deletes the batch; with
// ReportBatchItemFailures only the messages not named in `batchItemFailures`; a failed invocation deletes
// nothing. What is not deleted becomes visible again after the queue's visibility timeout, and the queue's
// redrive policy moves it to its dead-letter queue after maxReceiveCount receives.
import type { LambdaInvoker } from '../types';
import { LOCAL_REGION } from '../types';
import type { Queue, QueueMessage } from './queue';
import type { SqsEmulator } from './sqs-service';

/** Lambda's initial concurrency for an SQS mapping; also its lowest `maximumConcurrency`. */
export const DEFAULT_POLLERS = 5;
/** An idle poller looks again this often (Lambda long-polls for up to 20 s; locally we want a prompt stop). */
const IDLE_POLL_MS = 250;
const DEFAULT_BATCH_SIZE = 10;

export interface SqsEventSourceDefinition {
  functionName: string;
  /** The queue's name, URL or ARN. */
  queue: string;
  batchSize?: number;
  maximumBatchingWindowS?: number;
  reportBatchItemFailures?: boolean;
  /** Concurrent batches (Lambda's ScalingConfig.MaximumConcurrency); DEFAULT_POLLERS when unset. */
  maximumConcurrency?: number;
  enabled?: boolean;
}

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: { ApproximateReceiveCount: string; SentTimestamp: string; SenderId: string; ApproximateFirstReceiveTimestamp: string };
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

interface MappingStats {
  invocations: number;
  failedInvocations: number;
  messages: number;
  deleted: number;
  reportedFailures: number;
}

export interface SqsEventSources {
  /** Per function: invocations, messages handed over, deleted, reported as failed. */
  stats(): Record<string, MappingStats>;
  /**
   * Resolves once no mapped queue has a visible message and no invocation runs (tests and benchmarks wait on it);
   * while a function is paused and its queue holds messages, not before its resume().
   */
  idle(): Promise<void>;
  /**
   * Stops receiving for one function's mappings, as disabling its event source mapping does on AWS
   * (UpdateEventSourceMapping, Enabled false): a batch already received is still delivered; what arrives meanwhile
   * waits in the queue. A benchmark keeps another domain's consumer off the two cores this way, to measure one path
   * alone and then how long the other's backlog takes. `functionName` as in the mappings (the deployed name, with the
   * stage's prefix); false when it has no enabled SQS mapping.
   */
  pause(functionName: string): boolean;
  /** Receives again for the function's mappings: nothing that arrived while paused is skipped. */
  resume(functionName: string): void;
  stop(): Promise<void>;
}

export function startSqsEventSources(options: {
  sqs: SqsEmulator;
  invokeLambda: LambdaInvoker;
  mappings: SqsEventSourceDefinition[];
  log: (message: string, extra?: object) => void;
}): SqsEventSources {
  let running = true;
  /** Messages pollers hold: received, in a batch being gathered or invoked. */
  let held = 0;
  const stats: Record<string, MappingStats> = {};
  const loops: Array<Promise<void>> = [];
  const queues: Queue[] = [];
  /** Per paused function: settles at its resume() (or stop()). */
  const paused = new Map<string, { resumed: Promise<void>; resume: () => void }>();

  for (const mapping of options.mappings.filter((m) => m.enabled !== false)) {
    const queue = options.sqs.queue(mapping.queue);
    if (!queue) throw new Error(`the SQS event of ${mapping.functionName} refers to unknown queue ${mapping.queue}`);
    queues.push(queue);
    stats[mapping.functionName] ??= { invocations: 0, failedInvocations: 0, messages: 0, deleted: 0, reportedFailures: 0 };
    const pollers = Math.max(1, Math.min(mapping.maximumConcurrency ?? DEFAULT_POLLERS, DEFAULT_POLLERS));
    for (let i = 0; i < pollers; i++) loops.push(poll(mapping, queue, stats[mapping.functionName]!));
  }

  async function gather(mapping: SqsEventSourceDefinition, queue: Queue): Promise<QueueMessage[]> {
    const batchSize = mapping.batchSize ?? DEFAULT_BATCH_SIZE;
    const windowMs = (mapping.maximumBatchingWindowS ?? 0) * 1000;
    const batch: QueueMessage[] = [];
    let deadline: number | undefined;
    while (running && batch.length < batchSize) {
      // Paused with a batch begun: it goes out as it is, as a receive already made would on AWS.
      const pause = paused.get(mapping.functionName);
      if (pause && batch.length > 0) break;
      if (pause) {
        await pause.resumed;
        continue;
      }
      const received = options.sqs.receive(queue, batchSize - batch.length);
      held += received.length;
      batch.push(...received);
      if (batch.length === 0) {
        await queue.waitForMessages(IDLE_POLL_MS);
        continue;
      }
      deadline ??= Date.now() + windowMs;
      const left = deadline - Date.now();
      if (left <= 0 || batch.length >= batchSize) break;
      await queue.waitForMessages(left);
    }
    return batch;
  }

  async function poll(mapping: SqsEventSourceDefinition, queue: Queue, counters: MappingStats): Promise<void> {
    while (running) {
      const batch = await gather(mapping, queue);
      if (batch.length === 0) continue;
      try {
        await deliver(mapping, queue, batch, counters);
      } finally {
        held -= batch.length;
      }
    }
  }

  async function deliver(mapping: SqsEventSourceDefinition, queue: Queue, batch: QueueMessage[], counters: MappingStats): Promise<void> {
    // The receipt handles of this receive: the message may be received again while the function runs.
    const handles = new Map(batch.map((m) => [m.messageId, m.receiptHandle!]));
    const event = { Records: batch.map((m) => toRecord(m, handles.get(m.messageId)!, queue.arn)) };
    counters.invocations++;
    counters.messages += batch.length;
    const result = await options.invokeLambda(mapping.functionName, event);
    if (!result.ok) {
      counters.failedInvocations++;
      options.log('sqs event source: invocation failed; the batch becomes visible again after the visibility timeout', {
        function: mapping.functionName,
        queue: queue.name,
        messages: batch.length,
        error: result.error.slice(0, 500),
      });
      return;
    }
    const failed = mapping.reportBatchItemFailures ? failedIds(result.payload, handles) : new Set<string>();
    if (failed === undefined) {
      counters.failedInvocations++;
      options.log('sqs event source: invalid batchItemFailures; the whole batch counts as failed', { function: mapping.functionName });
      return;
    }
    counters.reportedFailures += failed.size;
    for (const [messageId, handle] of handles) {
      if (!failed.has(messageId) && queue.delete(handle)) counters.deleted++;
    }
  }

  return {
    stats: () => structuredClone(stats),
    async idle() {
      while (held > 0 || queues.some((q) => q.counts().visible > 0)) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    pause(functionName) {
      if (!options.mappings.some((m) => m.functionName === functionName && m.enabled !== false)) return false;
      if (!paused.has(functionName)) {
        let resume = () => undefined as void;
        const resumed = new Promise<void>((resolve) => (resume = resolve));
        paused.set(functionName, { resumed, resume });
      }
      return true;
    },
    resume(functionName) {
      paused.get(functionName)?.resume();
      paused.delete(functionName);
    },
    async stop() {
      running = false;
      for (const { resume } of paused.values()) resume();
      paused.clear();
      await Promise.all(loops);
    },
  };
}

/**
 * The message ids a partial batch response names, or undefined when the response is invalid (an id that is not
 * in the batch, or an empty one): Lambda then treats the whole batch as failed.
 */
export function failedIds(payload: unknown, batch: ReadonlyMap<string, string>): Set<string> | undefined {
  const failures = (payload as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !batch.has(id)) return undefined;
    ids.add(id);
  }
  return ids;
}

function toRecord(message: QueueMessage, receiptHandle: string, queueArn: string): SqsRecord {
  return {
    messageId: message.messageId,
    receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'AIDAIOTRULE000000000',
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    },
    messageAttributes: {},
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}
