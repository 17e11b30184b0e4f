// Demo data for the local stack: a site, its owner, a manager and a staff member, its menu, its stock, its devices
// and its staff (profiles and two weeks of punches).
// Passwords are generated on first start and kept in .local/demo-credentials.json (git-ignored), so they stay
// the same across restarts. Conditional writes make seeding idempotent on a disk-backed store.
// The seed writes the users and orders tables directly, past their outboxes (writeDemoData), so once the functions
// run it publishes the directory events and the menu settings' event of what it seeded itself
// (publishDemoDirectory), on every start.
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventEnvelope } from '../../functions/shared/events';
import { currentSnapshotEvent } from '../../functions/users/events';
import { hashPassword } from '../../functions/users/passwords';
import type { SiteRecord, UserRecord } from '../../functions/users/schemas';
import { localClientConfig } from '../client-config';
import { PROJECT_ROOT } from '../../local-cloud/service-definition';
import { LOCAL_ACCOUNT_ID } from '../../local-cloud/types';
import { customerRefOf } from '../../functions/orders/customer-ref';
import { menuItemChangedData, menuSettingsEvent } from '../../functions/orders/events';
import type { MenuSettingsRecord } from '../../functions/orders/schemas';
import { menuKeys } from '../../functions/orders/store';
import { localDateOf } from '../../functions/shared/time';
import { localCustomerRefKey } from '../customer-ref-key';
import { seedAnalyticsHistory } from './analytics';
import { demoHistoryMenu, demoHistoryStock } from './analytics-history-inputs';
import { seedInventoryDemo } from './inventory';
import { DEMO_FLEET, seedIotDemo } from './iot';
import { seedDemoMenu } from './menu';
import { demoStaffHistory, seedStaffDemo } from './staff';

export const DEMO_SITE_ID = 'demo-bistro';
type Role = 'owner' | 'manager' | 'staff';
export interface DemoCredentials { role: Role; email: string; password: string; userId: string }

function demoCredentials(stage: string): DemoCredentials[] {
  const file = join(PROJECT_ROOT, '.local', `demo-credentials-${stage}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials[];
  const credentials = (['owner', 'manager', 'staff'] as const).map((role) => ({
    role,
    email: `${role}@demo-bistro.example`,
    password: `${role}-${randomBytes(9).toString('base64url')}`,
    userId: randomUUID(),
  }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

async function putOnce(db: DynamoDBDocumentClient, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

type Env = Record<string, string | undefined>;

const usersTableOf = (stage: string) => `brigade-${stage}-users`;

/**
 * The demo's records, written straight to DynamoDB: nothing here needs a function, so `npm start` runs it while
 * serverless-offline starts. The directory's events (publishDemoDirectory) go once the functions answer.
 */
export async function writeDemoData(env: Record<string, string>, stage: string) {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(env, 'DYNAMODB')));
  const usersTable = usersTableOf(stage);
  const now = new Date().toISOString();
  let created = 0;

  const site = { siteId: DEMO_SITE_ID, name: 'Demo Bistro', timeZone: 'America/New_York', currency: 'USD', createdAt: now, updatedAt: now, version: 1 };
  if (await putOnce(db, () => db.send(new PutCommand({ TableName: usersTable, Item: { pk: 'SITES', sk: `SITE#${DEMO_SITE_ID}`, ...site }, ConditionExpression: 'attribute_not_exists(pk)' })))) created++;

  const credentials = demoCredentials(stage);
  // scrypt runs on libuv's threads: the three hashes at once take the time of one.
  const passwordHashes = await Promise.all(credentials.map((person) => hashPassword(person.password)));
  for (const [index, person] of credentials.entries()) {
    const sites = person.role === 'owner' ? [] : [DEMO_SITE_ID];
    const user = {
      userId: person.userId,
      email: person.email,
      name: `Demo ${person.role}`,
      role: person.role,
      sites,
      status: 'active',
      passwordHash: passwordHashes[index],
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const wrote = await putOnce(db, () =>
      db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: usersTable, Item: { pk: `EMAIL#${user.email}`, sk: 'EMAIL', userId: user.userId }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: usersTable, Item: { pk: `USER#${user.userId}`, sk: 'USER', ...user }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...sites.map((siteId) => ({
              Put: { TableName: usersTable, Item: { pk: `SITE#${siteId}`, sk: `MEMBER#${user.userId}`, userId: user.userId, email: user.email, name: user.name, role: user.role, status: 'active' } },
            })),
          ],
        }),
      ),
    );
    if (wrote) created++;
  }

  // Inventory learns its recipes from the menu; the domains' seeds are otherwise independent: in parallel, so the
  // seed does not grow with every domain (npm start's 15 s).
  const staffMember = credentials.find((person) => person.role === 'staff');
  const counts = await Promise.all([
    seedDemoMenu(db, stage, DEMO_SITE_ID).then(async (menu) => menu + (await seedInventoryDemo(db, stage, DEMO_SITE_ID, site.timeZone))),
    seedIotDemo(db, stage, DEMO_SITE_ID, site.timeZone),
    staffMember ? seedStaffDemo(db, stage, DEMO_SITE_ID, site.timeZone, { userId: staffMember.userId, name: 'Demo staff' }) : 0,
  ]);
  created += counts.reduce((sum, n) => sum + n, 0);
  // Thousands of items and seconds of work: the caller runs it once the stack is ready (npm start's 15 s).
  const history = () => (staffMember ? seedDemoHistory(db, stage, site, { userId: staffMember.userId, name: 'Demo staff' }) : Promise.resolve(0)).finally(() => db.destroy());
  return { created, credentials, history };
}

export type WrittenDemoData = Awaited<ReturnType<typeof writeDemoData>>;

/** Thirteen weeks of trading before today, for analytics and forecasts (analytics-history.ts); once per store. */
function seedDemoHistory(db: DynamoDBDocumentClient, stage: string, site: { siteId: string; timeZone: string; currency: string }, staffMember: { userId: string; name: string }) {
  const staff = demoStaffHistory(site.siteId, site.timeZone, staffMember);
  const key = localCustomerRefKey(stage);
  const freezer = DEMO_FLEET.find((unit) => unit.type === 'freezer')!;
  const menu = demoHistoryMenu();
  return seedAnalyticsHistory(db, stage, {
    ...site,
    today: localDateOf(Date.now(), site.timeZone),
    menu: menu.items,
    categories: menu.categories,
    menuEvents: menu.records.map(menuItemChangedData),
    stock: demoHistoryStock(),
    servers: [staffMember.userId, 'demo-staff-bar'],
    clockOuts: staff.clockOuts,
    payRates: staff.payRates,
    customerRef: (loyaltyId) => customerRefOf({ loyaltyId }, key),
    freezer: { deviceId: freezer.deviceId, deviceName: freezer.name, location: freezer.location },
  });
}

/**
 * Publishes the directory events (functions/users/events.ts) of the demo site and users as they are stored, on
 * the events topic, so subscribers (notifications) learn the seeded directory on every start, then the demo
 * menu's `menu.settings-changed` (analytics' business days). Event ids are per record version, so publishing
 * again is harmless; a record changed since seeding gets its `.updated` type. Returns the events published.
 */
export async function publishDemoDirectory(env: Env, stage: string): Promise<EventEnvelope[]> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(env, 'DYNAMODB')));
  const sns = new SNSClient(localClientConfig(env, 'SNS'));
  const topicArn = `arn:aws:sns:${env.AWS_REGION}:${LOCAL_ACCOUNT_ID}:brigade-${stage}-events`;
  const context = { correlationId: `demo-seed-${randomUUID()}` };
  const read = async <T>(pk: string, sk: string) =>
    (await db.send(new GetCommand({ TableName: usersTableOf(stage), Key: { pk, sk }, ConsistentRead: true }))).Item as T | undefined;
  try {
    const events: EventEnvelope[] = [];
    const site = await read<SiteRecord>('SITES', `SITE#${DEMO_SITE_ID}`);
    if (site) events.push(currentSnapshotEvent(site, context));
    for (const person of demoCredentials(stage)) {
      const user = await read<UserRecord>(`USER#${person.userId}`, 'USER');
      if (user) events.push(currentSnapshotEvent(user, context));
    }
    // The menu's settings too: analytics files the demo's days by its business-day rule.
    const settings = (await db.send(new GetCommand({ TableName: `brigade-${stage}-orders`, Key: menuKeys.settings(DEMO_SITE_ID), ConsistentRead: true }))).Item as
      | MenuSettingsRecord
      | undefined;
    if (settings) events.push(menuSettingsEvent(settings, context));
    // One at a time, site first: a subscriber meets the site before the users who work there.
    for (const event of events) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(event),
          MessageAttributes: Object.fromEntries((['type', 'siteId', 'source'] as const).map((name) => [name, { DataType: 'String', StringValue: event[name] }])),
        }),
      );
    }
    return events;
  } finally {
    db.destroy();
    sns.destroy();
  }
}
