import { PublishCommand } from '@aws-sdk/client-sns';
import { randomUUID } from 'node:crypto';
import { api, eventually, itLocal, sns, topicArn, uniqueId } from './support/target';
import { bearer, createSite, createUser } from './support/identity';

let auth: Record<string, string> = {};

const eventsTopic = topicArn('events');

async function createNote(siteId: string): Promise<string> {
  const res = await api('POST', `/demo/sites/${siteId}/notes`, { body: { text: 'sns' }, headers: { 'idempotency-key': uniqueId('key'), ...auth } });
  expect(res.status).toBe(201);
  return res.json.noteId as string;
}

const deliveriesOf = async (siteId: string, noteId: string) =>
  (await api('GET', `/demo/sites/${siteId}/notes/${noteId}`, { headers: auth })).json.eventDeliveries as number;

function envelope(type: string, siteId: string, noteId: string, id = randomUUID()) {
  return {
    id,
    type,
    source: 'tests',
    siteId,
    occurredAt: new Date().toISOString(),
    correlationId: uniqueId('corr'),
    data: { noteId },
  };
}

async function publish(event: ReturnType<typeof envelope>) {
  await sns.send(
    new PublishCommand({
      TopicArn: eventsTopic,
      Message: JSON.stringify(event),
      MessageAttributes: { type: { DataType: 'String', StringValue: event.type } },
    }),
  );
}

describe('walking skeleton: Lambda → SNS → subscribed Lambda', () => {
  let siteId: string;
  beforeAll(async () => {
    siteId = await createSite();
    auth = bearer(await createUser('staff', [siteId]));
  });

  it('a created note publishes demo.note-created, which the subscriber receives once', async () => {
    const noteId = await createNote(siteId);
    await eventually(async () => ((await deliveriesOf(siteId, noteId)) === 1 ? true : undefined), 10_000, 'delivery');
  });

  it('the filter policy keeps a non-matching event type away from the subscriber', async () => {
    const filtered = await createNote(siteId);
    await eventually(async () => ((await deliveriesOf(siteId, filtered)) === 1 ? true : undefined), 10_000, 'first delivery');

    await publish(envelope('demo.note-archived', siteId, filtered));
    // A matching event published after it is the sentinel: once it has arrived, the other one had its chance.
    const sentinel = await createNote(siteId);
    await eventually(async () => ((await deliveriesOf(siteId, sentinel)) === 1 ? true : undefined), 10_000, 'sentinel');
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveriesOf(siteId, filtered)).toBe(1);
  });

  it('a redelivered event (same id) is processed once', async () => {
    const noteId = await createNote(siteId);
    await eventually(async () => ((await deliveriesOf(siteId, noteId)) === 1 ? true : undefined), 10_000, 'first delivery');
    const duplicate = envelope('demo.note-created', siteId, noteId);
    await publish(duplicate);
    await eventually(async () => ((await deliveriesOf(siteId, noteId)) === 2 ? true : undefined), 10_000, 'second event');
    await publish(duplicate);
    await publish(duplicate);
    const sentinel = await createNote(siteId);
    await eventually(async () => ((await deliveriesOf(siteId, sentinel)) === 1 ? true : undefined), 10_000, 'sentinel');
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveriesOf(siteId, noteId)).toBe(2);
  });

  itLocal('a message that keeps failing ends as a dead letter, not lost', 'reads the local SNS dead-letter log', async () => {
    const doomed = envelope('demo.note-created', siteId, 'no-such-note');
    await publish(doomed);
    const edge = process.env.AWS_ENDPOINT_URL!;
    const letter = await eventually(async () => {
      const { deadLetters } = (await (await fetch(`${edge}/_local/sns/dead-letters`)).json()) as { deadLetters: Array<{ message: string; attempts: number; lastError: string }> };
      return deadLetters.find((d) => d.message.includes(doomed.id));
    }, 15_000, 'dead letter');
    expect(letter.attempts).toBeGreaterThanOrEqual(3);
    expect(letter.lastError).toMatch(/ConditionalCheckFailed/);
  });
});
