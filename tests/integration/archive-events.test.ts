// The archive (functions/archive): every event of the events and alerts topics, kept once per event id, in time order
// per site, as it came. Events come from a real domain action (a site created and renamed over the API), and from
// envelopes published straight to the topics to redeliver one (SNS is at least once) and to mix precisions.
import { PublishCommand } from '@aws-sdk/client-sns';
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { api, queueUrl, sns, sqs, topicArn, uniqueId } from './support/target';
import { bearer, createSite, theOwner } from './support/identity';
import { archivedEventually, archivedOf } from './support/archive';

const DAY_SECONDS = 86_400;
const RETENTION_DAYS = 400; // functions/archive/functions.yml's default (ARCHIVE_RETENTION_DAYS)

function envelope(siteId: string, type: string, occurredAt = new Date().toISOString(), source = 'tests') {
  return { id: randomUUID(), type, source, siteId, occurredAt, correlationId: uniqueId('corr'), data: { note: 'archive test' } };
}

async function publish(topic: 'events' | 'alerts', event: ReturnType<typeof envelope>) {
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn(topic),
      Message: JSON.stringify(event),
      MessageAttributes: { type: { DataType: 'String', StringValue: event.type }, siteId: { DataType: 'String', StringValue: event.siteId } },
    }),
  );
}

describe('the event archive', () => {
  it('keeps a domain action’s events once each, as published, under the site in order, with their expiry', async () => {
    const siteId = await createSite();
    const renamed = await api('PATCH', `/sites/${siteId}`, { body: { name: 'Renamed for the archive' }, headers: bearer(await theOwner()) });
    expect(renamed.status).toBe(200);

    const ids = [`site:${siteId}:v1`, `site:${siteId}:v2`];
    const items = await archivedEventually(siteId, ids);
    expect(items.map((i) => [i.type, i.eventId])).toEqual([
      ['site.created', ids[0]],
      ['site.updated', ids[1]],
    ]);
    for (const item of items) {
      const published = JSON.parse(item.message);
      expect(published).toMatchObject({ id: item.eventId, type: item.type, source: 'users', siteId });
      expect(item.sk).toBe(`${published.occurredAt}#${item.eventId}`);
      expect(item.topicArn).toBe(topicArn('events'));
      expect(item.attributes).toMatchObject({ type: { Type: 'String', Value: item.type }, source: { Type: 'String', Value: 'users' } });
      expect(item.expiresAt).toBe(Math.floor(Date.parse(published.occurredAt) / 1000) + RETENTION_DAYS * DAY_SECONDS);
    }
    expect(JSON.parse(items[1]!.message).data).toMatchObject({ name: 'Renamed for the archive', version: 2 });
  });

  it('an event SNS delivers twice is archived once, as first received; alerts are archived too', async () => {
    const siteId = uniqueId('site');
    const twice = envelope(siteId, 'tests.archived');
    await publish('events', twice);
    await publish('events', twice);
    await archivedEventually(siteId, [twice.id]);
    // The same event id carrying other data: a write that was not put-if-absent would replace the first.
    await publish('events', { ...twice, data: { note: 'a redelivery must not replace the archived event' } });
    // Published after the redelivery: once it is archived, the redelivery had its turn.
    const alert = envelope(siteId, 'tests.alerted', new Date(Date.now() + 1_000).toISOString());
    await publish('alerts', alert);
    await archivedEventually(siteId, [alert.id]);
    await new Promise((r) => setTimeout(r, 500));

    const items = await archivedOf(siteId);
    expect(items.map((i) => [i.eventId, i.topicArn])).toEqual([
      [twice.id, topicArn('events')],
      [alert.id, topicArn('alerts')],
    ]);
    expect(JSON.parse(items[0]!.message)).toEqual(twice);
  });

  it('an event twice in one batch from the queue is archived once, and the batch’s other event at once', async () => {
    const siteId = uniqueId('site');
    const twice = envelope(siteId, 'tests.archived');
    const other = envelope(siteId, 'tests.archived');
    // SNS's JSON document, as both topics deliver to the archive queue; one send, so one receive takes all three.
    const document = (event: ReturnType<typeof envelope>) =>
      JSON.stringify({ Type: 'Notification', MessageId: randomUUID(), TopicArn: topicArn('events'), Message: JSON.stringify(event), MessageAttributes: { type: { Type: 'String', Value: event.type } } });
    const sent = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: await queueUrl('archive'), Entries: [twice, twice, other].map((event, i) => ({ Id: `m${i}`, MessageBody: document(event) })) }),
    );
    expect(sent.Failed ?? []).toEqual([]);
    // Well before the queue's visibility timeout: nothing of the batch failed and came back later.
    const items = await archivedEventually(siteId, [twice.id, other.id], 10_000);
    expect(items.map((i) => i.eventId).sort()).toEqual([twice.id, other.id].sort());
  });

  it('orders by when events happened whatever the precision of occurredAt, then by id', async () => {
    const siteId = uniqueId('site');
    // As text "…:05.100Z" < "…:05Z" would put the later one first.
    const later = envelope(siteId, 'tests.archived', '2026-06-01T10:00:05.1Z');
    const earlier = envelope(siteId, 'tests.archived', '2026-06-01T10:00:05Z');
    const earliest = envelope(siteId, 'tests.voided', '2026-06-01T10:00:04.999999Z');
    for (const event of [later, earlier, earliest]) await publish('events', event);
    const items = await archivedEventually(siteId, [later.id, earlier.id, earliest.id]);
    expect(items.map((i) => i.eventId)).toEqual([earliest.id, earlier.id, later.id]);
    expect(items.map((i) => i.sk.slice(0, 24))).toEqual(['2026-06-01T10:00:04.999Z', '2026-06-01T10:00:05.000Z', '2026-06-01T10:00:05.100Z']);
    // Kept as it came: the envelope's own precision is not rewritten.
    expect(JSON.parse(items[2]!.message).occurredAt).toBe('2026-06-01T10:00:05.1Z');
  });
});
