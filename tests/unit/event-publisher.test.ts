// publishEvents (functions/shared/event-publisher.ts): several events to one topic in PublishBatch calls within
// SNS's limits (10 entries, 256 KiB in all), each entry the message Publish would send; the outcome per event.
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import type { EventEnvelope } from '#shared/events';

const calls: PublishBatchCommand['input'][] = [];
let answer: (input: PublishBatchCommand['input']) => Promise<unknown> = async () => ({ Failed: [] });
jest.mock('../../functions/shared/clients/sns', () => ({
  snsClient: () => ({
    send: async (command: PublishBatchCommand) => {
      calls.push(command.input);
      return answer(command.input);
    },
  }),
}));
const { publishEvents } = require('../../functions/shared/event-publisher') as typeof import('../../functions/shared/event-publisher');

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:brigade-test-events';
const event = (i: number, data: Record<string, unknown> = {}): EventEnvelope<Record<string, unknown>> => ({
  id: `evt-${i}`,
  type: 'order.placed',
  source: 'orders',
  siteId: 'site-1',
  occurredAt: '2026-12-05T09:00:00.000Z',
  correlationId: 'corr-1',
  data,
});

beforeEach(() => {
  calls.length = 0;
  answer = async () => ({ Failed: [] });
});

describe('publishEvents', () => {
  it('sends 10 to a call, each entry the envelope with the attributes subscribers filter on, in order', async () => {
    const events = Array.from({ length: 25 }, (_, i) => event(i));
    const outcomes = await publishEvents(TOPIC, events);
    expect(calls.map((c) => c.PublishBatchRequestEntries!.length)).toEqual([10, 10, 5]);
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    const entries = calls.flatMap((c) => c.PublishBatchRequestEntries!);
    expect(entries.map((e) => JSON.parse(e.Message!).id)).toEqual(events.map((e) => e.id));
    expect(new Set(calls.flatMap((c) => c.PublishBatchRequestEntries!.map((e) => e.Id))).size).toBe(25);
    expect(entries[0]).toMatchObject({
      Message: JSON.stringify(events[0]),
      MessageAttributes: { type: { DataType: 'String', StringValue: 'order.placed' }, siteId: { DataType: 'String', StringValue: 'site-1' }, source: { DataType: 'String', StringValue: 'orders' } },
    });
    expect(calls.every((c) => c.TopicArn === TOPIC)).toBe(true);
  });

  it('keeps each call within 256 KiB in all: large events start a new call', async () => {
    const big = (i: number) => event(i, { blob: 'x'.repeat(100 * 1024) });
    await publishEvents(TOPIC, [event(0), big(1), big(2), big(3), event(4)]);
    for (const call of calls) {
      const bytes = call.PublishBatchRequestEntries!.reduce((sum, e) => sum + Buffer.byteLength(e.Message!), 0);
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
    }
    // Two of ~100 KiB fit beside a small one; the third starts a new call.
    expect(calls.map((c) => c.PublishBatchRequestEntries!.map((e) => JSON.parse(e.Message!).id))).toEqual([
      ['evt-0', 'evt-1', 'evt-2'],
      ['evt-3', 'evt-4'],
    ]);
  });

  it('fails only the entries SNS refused, and only the events of a call that failed', async () => {
    answer = async (input) => {
      const ids = input.PublishBatchRequestEntries!.map((e) => e.Id!);
      if (ids.length < 10) throw new Error('InternalError');
      return { Failed: [{ Id: ids[3], Code: 'InternalError', Message: 'try again', SenderFault: false }] };
    };
    const outcomes = await publishEvents(TOPIC, Array.from({ length: 12 }, (_, i) => event(i)));
    expect(outcomes.map((o) => o.status)).toEqual([...Array(3).fill('fulfilled'), 'rejected', ...Array(6).fill('fulfilled'), 'rejected', 'rejected']);
    expect(String((outcomes[3] as PromiseRejectedResult).reason)).toContain('InternalError try again');
  });

  it('makes no call for no events', async () => {
    expect(await publishEvents(TOPIC, [])).toEqual([]);
    expect(calls).toEqual([]);
  });
});
