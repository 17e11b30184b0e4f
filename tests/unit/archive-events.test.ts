// archiveEvents takes the archive queue's batches (SNS's JSON documents of both topics): what it archives, what it
// drops as malformed (a retry never changes it) and what it hands back for redelivery (only those messages).
import type { SQSEvent } from 'aws-lambda';
import type { ArchiveInput } from '../../functions/archive/archive-store';

const written: ArchiveInput[] = [];
let outcomes: Array<'archived' | 'already' | Error> = [];
jest.mock('../../functions/archive/config', () => ({
  config: { ARCHIVE_RETENTION_DAYS: 400 },
  archiveStore: {
    putAll: async (inputs: ArchiveInput[]) => {
      written.push(...inputs);
      return outcomes.slice(0, inputs.length);
    },
  },
}));
const { handler } = require('../../functions/archive/archive-events') as typeof import('../../functions/archive/archive-events');

const envelope = (id: string) => ({ id, type: 'order.placed', source: 'orders', siteId: 'site-1', occurredAt: '2026-12-03T10:00:00.123Z', correlationId: 'c', data: {} });
const snsDocument = (message: string, topic = 'events') =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: `sns-${Math.random()}`,
    TopicArn: `arn:aws:sns:us-east-1:000000000000:brigade-local-${topic}`,
    Message: message,
    MessageAttributes: { type: { Type: 'String', Value: 'order.placed' } },
  });
const batch = (...bodies: string[]): SQSEvent => ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body }) as SQSEvent['Records'][number]) });

describe('archiveEvents on the archive queue', () => {
  beforeEach(() => (written.length = 0));

  it('archives each envelope as it came with its topic and attributes; a failed write hands back only its message', async () => {
    outcomes = ['archived', 'already', new Error('ThrottlingError')];
    const messages = ['e1', 'e2', 'e3'].map((id) => JSON.stringify(envelope(id)));
    const result = await handler(batch(snsDocument(messages[0]!), snsDocument(messages[1]!, 'alerts'), snsDocument(messages[2]!)), {} as never);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(written.map((w) => [w.envelope.id, w.message, w.topicArn.split(':').at(-1), w.attributes])).toEqual([
      ['e1', messages[0], 'brigade-local-events', { type: { Type: 'String', Value: 'order.placed' } }],
      ['e2', messages[1], 'brigade-local-alerts', { type: { Type: 'String', Value: 'order.placed' } }],
      ['e3', messages[2], 'brigade-local-events', { type: { Type: 'String', Value: 'order.placed' } }],
    ]);
    // Kept ARCHIVE_RETENTION_DAYS from when the event happened.
    expect(written[0]!.expiresAt).toBe(Math.floor(Date.parse('2026-12-03T10:00:00.123Z') / 1000) + 400 * 86_400);
  });

  it('drops what is not an SNS notification or not an envelope (never retried), and keeps the rest', async () => {
    outcomes = ['archived'];
    const result = await handler(
      batch('not json', JSON.stringify({ Type: 'SubscriptionConfirmation' }), snsDocument('{"id":"no-site"}'), snsDocument(JSON.stringify(envelope('fine')))),
      {} as never,
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(written.map((w) => w.envelope.id)).toEqual(['fine']);
  });

  it('an envelope larger than an archive item may hold goes back (to end whole in the DLQ), the others are archived', async () => {
    outcomes = ['archived'];
    const huge = JSON.stringify({ ...envelope('huge'), data: { blob: 'x'.repeat(400_000) } });
    const result = await handler(batch(snsDocument(huge), snsDocument(JSON.stringify(envelope('small')))), {} as never);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(written.map((w) => w.envelope.id)).toEqual(['small']);
  });
});
