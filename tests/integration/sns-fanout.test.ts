// Lambda → SNS → subscribed Lambda through real domains: a site created over HTTP makes the users domain publish
// site.created on the events topic; the notifications domain's recordDirectoryChange, subscribed with a filter
// policy on the `type` attribute, keeps the site in its directory (SITE#{siteId} / SITE). Each event it processes
// leaves a receipt keyed by the event id (functions/shared/sns-consumer.ts): how redeliveries are told apart.
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { dynamo, eventually, itLocal, sns, tableName, topicArn, uniqueId } from './support/target';
import { createSite } from './support/identity';

const eventsTopic = topicArn('events');
const notificationsTable = tableName('notifications');

const itemAt = async (pk: string, sk: string) => (await dynamo.send(new GetCommand({ TableName: notificationsTable, Key: { pk, sk } }))).Item;
const directorySite = (siteId: string) => itemAt(`SITE#${siteId}`, 'SITE');
const receiptOf = (eventId: string) => itemAt(`EVENT#directory#${eventId}`, 'RECEIPT');
/** The users domain's event id for a site at a version (functions/users/events.ts). */
const siteEventId = (siteId: string, version: number) => `site:${siteId}:v${version}`;

const siteApplied = (siteId: string) =>
  eventually(async () => ((await directorySite(siteId))?.version === 1 ? true : undefined), 10_000, `site ${siteId} in the directory`);
/** A matching event published after others: once it is applied, the others had their chance to arrive. */
async function sentinel(): Promise<void> {
  await siteApplied(await createSite());
  await new Promise((r) => setTimeout(r, 500));
}

/** An event as the users domain publishes it (its contract: functions/shared/contracts/users.ts). */
function envelope(type: string, siteId: string, data: Record<string, unknown>, id: string = randomUUID()) {
  return { id, type, source: 'users', siteId, occurredAt: new Date().toISOString(), correlationId: uniqueId('corr'), data };
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

const snapshot = (siteId: string, name: string, version: number) => ({ siteId, name, timeZone: 'Europe/Paris', currency: 'EUR', version });

describe('SNS fan-out: users → events topic → notifications directory', () => {
  it('a site created over HTTP publishes site.created, which the subscriber receives and applies', async () => {
    const siteId = await createSite();
    await siteApplied(siteId);
    expect(await directorySite(siteId)).toMatchObject({ siteId, name: `Test ${siteId}`, timeZone: 'Europe/Paris', version: 1 });
    expect(await receiptOf(siteEventId(siteId, 1))).toBeDefined();
  });

  it('the filter policy keeps a non-matching event type away from the subscriber', async () => {
    const siteId = await createSite();
    await siteApplied(siteId);
    const filtered = envelope('site.archived', siteId, snapshot(siteId, 'Archived', 2));
    await publish(filtered);
    await sentinel();
    expect(await receiptOf(filtered.id)).toBeUndefined();
    expect(await directorySite(siteId)).toMatchObject({ name: `Test ${siteId}`, version: 1 });
  });

  it('a redelivered event (same id) is processed once, whatever it carries', async () => {
    const siteId = await createSite();
    await siteApplied(siteId);
    // Same id as the site.created already processed, with a newer snapshot: applied, it would win over version 2.
    await publish(envelope('site.updated', siteId, snapshot(siteId, 'From a redelivery', 3), siteEventId(siteId, 1)));
    const renamed = envelope('site.updated', siteId, snapshot(siteId, 'Renamed', 2));
    await publish(renamed);
    await eventually(async () => receiptOf(renamed.id), 10_000, 'the rename');
    await sentinel();
    expect(await directorySite(siteId)).toMatchObject({ name: 'Renamed', version: 2 });
  });

  it('a user moved from 50 sites to 50 others (more writes than one transaction holds) is applied whole', async () => {
    const userId = uniqueId('user');
    const sites = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${userId}-${prefix}-${i}`);
    const user = (version: number, siteIds: string[]) => ({ userId, name: 'Area manager', email: `${userId}@tests.example`, role: 'manager', sites: siteIds, status: 'active', version });
    const member = (siteId: string) => itemAt(`SITE#${siteId}`, `MEMBER#${userId}`);
    const first = envelope('user.updated', '*', user(1, sites('north')));
    await publish(first);
    const profileAt = (version: number) => async () => ((await itemAt(`USER#${userId}`, 'PROFILE'))?.version === version ? true : undefined);
    await eventually(profileAt(1), 10_000, 'the first snapshot');
    const moved = envelope('user.updated', '*', user(2, sites('south')));
    await publish(moved);
    await eventually(profileAt(2), 10_000, 'the move');
    expect(await itemAt(`USER#${userId}`, 'PROFILE')).toMatchObject({ version: 2, sites: sites('south') });
    expect((await Promise.all(sites('south').map(member))).filter(Boolean)).toHaveLength(50);
    expect((await Promise.all(sites('north').map(member))).filter(Boolean)).toEqual([]);
  });

  itLocal('a message that keeps failing ends as a dead letter, not lost', 'reads the local SNS dead-letter log', async () => {
    // A user snapshot the consumer cannot apply: its memberships exceed one DynamoDB transaction (100 writes), so
    // every attempt fails the same way. The users domain never sends one (a user works at 50 sites at most).
    const userId = uniqueId('user');
    const sites = Array.from({ length: 101 }, (_, i) => `dead-letter-${i}`);
    const doomed = envelope('user.updated', '*', { userId, name: 'Too many sites', email: `${userId}@tests.example`, role: 'staff', sites, status: 'active', version: 1 });
    await publish(doomed);
    const edge = process.env.AWS_ENDPOINT_URL!;
    const letter = await eventually(async () => {
      const { deadLetters } = (await (await fetch(`${edge}/_local/sns/dead-letters`)).json()) as { deadLetters: Array<{ message: string; attempts: number; lastError: string }> };
      return deadLetters.find((d) => d.message.includes(doomed.id));
    }, 15_000, 'dead letter');
    expect(letter.attempts).toBeGreaterThanOrEqual(3);
    expect(letter.lastError).toMatch(/ValidationException|Transact/);
    expect(await receiptOf(doomed.id)).toBeUndefined();
  });
});
