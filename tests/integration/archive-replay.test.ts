// Replay (functions/archive/replay.ts) over the running stack, to an existing consumer rather than a test-only one:
// inventory's learnSites, which keeps each site's time zone and currency from the users domain's site events and
// claims each event by id. A backfill is what a replay is for, so the test makes inventory forget a site as if it
// had been deployed after the site's events flowed (its site item and its receipts deleted), replays the site's
// archived events to learnSites, and finds the site learnt again: the target received both events, SNS-shaped, and
// applied them. Order and attributes are proven without AWS with a recording target (tests/unit/archive-replay.test.ts);
// here, what only the stack can show: the invoke path through serverless-offline, filters, the allow-list, and
// `npm run replay`.
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { api, dynamo, eventually, isLocal, tableName } from './support/target';
import { bearer, createSite, theOwner } from './support/identity';
import { archivedEventually, invokeReplay } from './support/archive';

const run = promisify(execFile);
const inventoryTable = tableName('inventory');
const inventorySite = async (siteId: string) => (await dynamo.send(new GetCommand({ TableName: inventoryTable, Key: { pk: 'SITES', sk: `SITE#${siteId}` }, ConsistentRead: true }))).Item;
const inventoryReceipt = async (eventId: string) =>
  (await dynamo.send(new GetCommand({ TableName: inventoryTable, Key: { pk: `EVENT#sites#${eventId}`, sk: 'RECEIPT' }, ConsistentRead: true }))).Item;

/** A site created and renamed over the API, learnt by inventory and archived: its two event ids. */
async function siteWithHistory(): Promise<{ siteId: string; eventIds: string[] }> {
  const siteId = await createSite();
  const renamed = await api('PATCH', `/sites/${siteId}`, { body: { name: 'Renamed before the replay' }, headers: bearer(await theOwner()) });
  expect(renamed.status).toBe(200);
  const eventIds = [`site:${siteId}:v1`, `site:${siteId}:v2`];
  await archivedEventually(siteId, eventIds);
  await eventually(async () => ((await inventorySite(siteId))?.version === 2 ? true : undefined), 15_000, `inventory to learn ${siteId} v2`);
  return { siteId, eventIds };
}

/** As if inventory had been deployed after the site's events: no site, no receipts. */
async function forget(siteId: string, eventIds: string[]): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: inventoryTable, Key: { pk: 'SITES', sk: `SITE#${siteId}` } }));
  for (const id of eventIds) await dynamo.send(new DeleteCommand({ TableName: inventoryTable, Key: { pk: `EVENT#sites#${id}`, sk: 'RECEIPT' } }));
  expect(await inventorySite(siteId)).toBeUndefined();
}

describe('replaying a site’s archived events to a consumer', () => {
  it('backfills a consumer that missed them: learnSites learns the site again from its replayed events', async () => {
    const { siteId, eventIds } = await siteWithHistory();
    await forget(siteId, eventIds);

    const result = await invokeReplay({ siteId, target: 'learnSites', types: ['site.created', 'site.updated'], attributes: { backfill: 'tests' } });
    expect(result).toEqual({ ok: true, payload: { replayed: 2, done: true } });
    expect(await inventorySite(siteId)).toMatchObject({ siteId, name: 'Renamed before the replay', timeZone: 'Europe/Paris', currency: 'EUR', version: 2 });
    for (const id of eventIds) expect(await inventoryReceipt(id)).toBeDefined();
  });

  it('replays only the types and range asked for; a forged cursor is refused', async () => {
    const { siteId, eventIds } = await siteWithHistory();
    await forget(siteId, eventIds);

    // Only site.created (v1): the site is back at version 1, and site.updated's receipt is still absent.
    const first = await invokeReplay({ siteId, target: 'learnSites', to: new Date(Date.now() + 60_000).toISOString(), types: ['site.created'], batchSize: 1 });
    expect(first).toEqual({ ok: true, payload: { replayed: 1, done: true } });
    expect(await inventorySite(siteId)).toMatchObject({ version: 1 });
    expect(await inventoryReceipt(eventIds[1]!)).toBeUndefined();

    // A cursor is checked against its query (shared/dynamodb.ts): a forged one is refused, not resumed somewhere.
    const foreignCursor = Buffer.from(JSON.stringify({ v: 1, k: { pk: 'SITE#demo-bistro', sk: '2026-01-01T00:00:00.000Z#x' }, d: 'forged' })).toString('base64url');
    const refused = await invokeReplay({ siteId, target: 'learnSites', cursor: foreignCursor });
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.error).toContain('Invalid cursor');
    expect(await inventorySite(siteId)).toMatchObject({ version: 1 });
  });

  it('refuses a target that is not allow-listed and a bad site id, naming them', async () => {
    const notAllowed = await invokeReplay({ siteId: 'demo-bistro', target: 'replayArchivedEvents' });
    expect(notAllowed.ok).toBe(false);
    // errorType is the error's name on AWS (ReplayRequestError), `Error` in serverless-offline: the message says it.
    expect(notAllowed.ok === false && JSON.parse(notAllowed.error)).toMatchObject({
      errorMessage: expect.stringContaining('target replayArchivedEvents is not a replay target of this stage (allowed: recordAnalytics, learnAnalyticsSites, learnSites'),
    });
    const badSite = await invokeReplay({ siteId: '../orders', target: 'learnSites' });
    expect(badSite.ok === false && JSON.parse(badSite.error)).toMatchObject({ errorMessage: expect.stringContaining('Invalid replay request: siteId: must be 1-63 characters') });
  });

  // Locally only: without --stage the script reaches the local stack by its ports.
  (isLocal ? it : it.skip)('npm run replay loops until done and prints its progress; a refused request exits 1 saying why', async () => {
    const { siteId, eventIds } = await siteWithHistory();
    await forget(siteId, eventIds);
    const { stdout } = await run('npx', ['tsx', join(__dirname, '../../scripts/replay.ts'), '--site', siteId, '--target', 'learnSites', '--types', 'site.created,site.updated', '--batch-size', '1'], {
      env: process.env,
      cwd: join(__dirname, '../..'),
    });
    expect(stdout).toContain(`replaying ${siteId}'s archived events to learnSites (brigade-local-replayArchivedEvents)`);
    expect(stdout).toMatch(/run 1: 2 replayed \(2 in all, [\d.]+ s\), done/);
    expect(await inventorySite(siteId)).toMatchObject({ version: 2 });

    const refused = await run('npx', ['tsx', join(__dirname, '../../scripts/replay.ts'), '--site', siteId, '--target', 'createOrder'], { env: process.env, cwd: join(__dirname, '../..') }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('target createOrder is not a replay target of this stage');
  }, 60_000);
});
