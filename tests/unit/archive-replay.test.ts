// replay.ts against an in-memory archive and a recording target: order, batches, filters, failure and the budget.
import type { SNSEventRecord } from 'aws-lambda';
import type { ArchiveReader, ReplayQuery } from '../../functions/archive/archive-store';
import { replayArchivedEvents, type InvokeOutcome, type ReplayDeps } from '../../functions/archive/replay';
import { MAX_BATCH_BYTES, parseReplayRequest, type ArchivedEvent } from '../../functions/archive/replay-rules';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:brigade-local-events';

function eventAt(i: number, type = 'order.paid', message?: string): ArchivedEvent {
  const occurredAt = new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString();
  return { eventId: `e${String(i).padStart(3, '0')}`, type, occurredAt, topicArn: TOPIC, message: message ?? JSON.stringify({ id: `e${i}` }), attributes: {} };
}

/** A site's events in archive order; a cursor is the position after an event. */
class MemoryArchive implements ArchiveReader {
  constructor(private readonly events: ArchivedEvent[]) {}
  async *read(query: ReplayQuery, cursor: string | undefined) {
    for (let i = cursor === undefined ? 0 : Number(cursor) + 1; i < this.events.length; i++) {
      const event = this.events[i]!;
      if (query.types && !query.types.includes(event.type)) continue;
      if ((query.from && event.occurredAt < query.from) || (query.to && event.occurredAt >= query.to)) continue;
      yield { event, cursor: String(i) };
    }
  }
}

/** Records every batch; fails the batches `failOn` says. */
function recordingTarget(failOn: (call: number, records: SNSEventRecord[]) => string | undefined = () => undefined) {
  const batches: SNSEventRecord[][] = [];
  return {
    batches,
    invoke: async (target: string, event: { Records: SNSEventRecord[] }): Promise<InvokeOutcome> => {
      expect(target).toBe('recordSales');
      const error = failOn(batches.length, event.Records);
      if (error) return { ok: false, error };
      batches.push(event.Records);
      return { ok: true };
    },
  };
}

const request = (extra: Record<string, unknown> = {}) => parseReplayRequest({ siteId: 'demo-bistro', target: 'recordSales', ...extra }, ['recordSales']);
const deps = (events: ArchivedEvent[], invoker: ReplayDeps['invoker'], remainingMs = () => 60_000): ReplayDeps => ({ reader: new MemoryArchive(events), invoker, remainingMs });
const ids = (batches: SNSEventRecord[][]) => batches.map((b) => b.map((r) => r.Sns.MessageId));

describe('replaying archived events', () => {
  const events = Array.from({ length: 25 }, (_, i) => eventAt(i, i % 5 === 0 ? 'order.voided' : 'order.paid'));

  it('sends every event once, in order, in batches of batchSize, one after the other', async () => {
    const target = recordingTarget();
    expect(await replayArchivedEvents(request({ batchSize: 10 }), deps(events, target))).toEqual({ replayed: 25, done: true });
    expect(target.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(ids(target.batches).flat()).toEqual(events.map((e) => e.eventId));
  });

  it('only the types asked for, marked replay=true with the caller attributes', async () => {
    const target = recordingTarget();
    const result = await replayArchivedEvents(request({ types: ['order.voided'], attributes: { generation: '3' } }), deps(events, target));
    expect(result).toEqual({ replayed: 5, done: true });
    expect(ids(target.batches)).toEqual([['e000', 'e005', 'e010', 'e015', 'e020']]);
    for (const record of target.batches[0]!) {
      expect(record.Sns.MessageAttributes).toEqual({
        type: { Type: 'String', Value: 'order.voided' },
        generation: { Type: 'String', Value: '3' },
        replay: { Type: 'String', Value: 'true' },
      });
    }
  });

  it('an empty archive is done at once, invoking nothing', async () => {
    const target = recordingTarget();
    expect(await replayArchivedEvents(request(), deps([], target))).toEqual({ replayed: 0, done: true });
    expect(target.batches).toEqual([]);
  });

  it('a failed batch stops the replay with the cursor after the last accepted batch; resuming sends the failed batch again', async () => {
    const failing = recordingTarget((call) => (call === 1 ? 'Unhandled: {"errorMessage":"boom"}' : undefined));
    const stopped = await replayArchivedEvents(request({ batchSize: 10 }), deps(events, failing));
    expect(stopped).toEqual({ replayed: 10, done: false, nextCursor: '9', failed: { error: 'Unhandled: {"errorMessage":"boom"}', eventIds: events.slice(10, 20).map((e) => e.eventId) } });
    expect(failing.batches).toHaveLength(1);

    const target = recordingTarget();
    expect(await replayArchivedEvents(request({ batchSize: 10, cursor: '9' }), deps(events, target))).toEqual({ replayed: 15, done: true });
    expect(ids(target.batches).flat()).toEqual(events.slice(10).map((e) => e.eventId));
  });

  it('a failure on the first batch has no cursor to resume from (start again), and an invoke that throws is a failure too', async () => {
    const throwing = { invoke: async () => Promise.reject(new Error('socket hang up')) };
    expect(await replayArchivedEvents(request({ batchSize: 10 }), deps(events, throwing))).toMatchObject({
      replayed: 0,
      done: false,
      failed: { error: 'Error: socket hang up' },
    });
    const result = await replayArchivedEvents(request({ batchSize: 10 }), deps(events, throwing));
    expect('nextCursor' in result).toBe(false);
  });

  it('pauses when the budget is spent, after at least one batch, with a cursor that resumes exactly there', async () => {
    let checks = 0;
    const target = recordingTarget();
    const clock = () => (checks++ < 1 ? 1 : 0); // the first batch is not checked, the second fits, the third does not
    const paused = await replayArchivedEvents(request({ batchSize: 5 }), deps(events, target, clock));
    expect(paused).toEqual({ replayed: 10, done: false, nextCursor: '9' });

    const spent = recordingTarget();
    const first = await replayArchivedEvents(request({ batchSize: 5, cursor: '9' }), deps(events, spent, () => 0));
    expect(first).toEqual({ replayed: 5, done: false, nextCursor: '14' });
    expect(ids([...target.batches, ...spent.batches]).flat()).toEqual(events.slice(0, 15).map((e) => e.eventId));
  });

  it('cuts a batch before its messages reach the synchronous payload limit', async () => {
    const large = Array.from({ length: 5 }, (_, i) => eventAt(i, 'order.paid', 'x'.repeat(2 * 1024 * 1024)));
    const target = recordingTarget();
    expect(await replayArchivedEvents(request(), deps(large, target))).toEqual({ replayed: 5, done: true });
    expect(target.batches.map((b) => b.length)).toEqual([2, 2, 1]);
    for (const batch of target.batches) expect(batch.reduce((n, r) => n + r.Sns.Message.length, 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
  });
});
