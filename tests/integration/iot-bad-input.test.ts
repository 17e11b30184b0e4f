// Every iot route with a path or query parameter, fed what a client should not send (odd ids, dates at the ends
// of time, windows turned around or too wide, odd page sizes, foreign or crafted cursors): each answer is a 4xx
// with a JSON error, never a 5xx. Cursors are bound to the query that issued them; a real next page still works.
import type { MqttClient } from 'mqtt';
import { policies } from '../../functions/iot/policies';
import { badQuery, misanswered, ODD_CURSORS, ODD_DATES, ODD_LIMITS, oddIdProbes } from './support/bad-input';
import { bearer, createSite, createUser, type TestUser } from './support/identity';
import { connectDevice, registerDevice, waitForReadingAt, type RegisteredDevice } from './support/iot';
import { api, describeLocal, describeNeeding, eventually, mqttClient, uniqueId } from './support/target';

jest.setTimeout(120_000);

const MIN = 60_000;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const iso = (ms: number) => new Date(ms).toISOString();

let siteId: string;
let otherSiteId: string;
let manager: TestUser;
let registered: RegisteredDevice;
let other: RegisteredDevice;
let device: MqttClient;
let deviceId: string;
/** Device time of the first of six readings a minute apart. */
const t0 = Date.now() - 30 * MIN;

beforeAll(async () => {
  [siteId, otherSiteId] = await Promise.all([createSite(), createSite()]);
  manager = await createUser('manager', [siteId, otherSiteId]);
  [registered, other] = await Promise.all([
    registerDevice(siteId, manager, { deviceId: uniqueId('pager'), type: 'fridge', name: 'Pager' }),
    registerDevice(siteId, manager, { deviceId: uniqueId('other'), type: 'fridge', name: 'Other' }),
  ]);
  deviceId = registered.device.deviceId;
  device = await connectDevice(registered);
  const readings = Array.from({ length: 6 }, (_, i) => ({ t: t0 + i * MIN, temperatureC: 3 + i / 10 }));
  // And two bad readings: rejects to page through.
  await device.publishAsync(registered.connection.telemetryTopic, JSON.stringify({ readings: [...readings, { t: t0 }, { t: t0 + MIN, temperatureC: 'cold' }] }), { qos: 1 });
  await waitForReadingAt(siteId, deviceId, t0 + 5 * MIN, manager);
  // Two refused commands: an audit to page through.
  for (const setpointC of [40, 50]) {
    expect((await api('POST', `/sites/${siteId}/devices/${deviceId}/commands`, { body: { setpointC }, headers: bearer(manager) })).status).toBe(422);
  }
}, 120_000);
afterAll(async () => {
  await device.endAsync();
});

const get = (path: string) => api('GET', path, { headers: bearer(manager) });
const devicePath = (id = deviceId) => `/sites/${siteId}/devices/${id}`;
const readingsPath = (query: string, id = deviceId) => `${devicePath(id)}/readings?${query}`;
const window = `from=${iso(t0 - MIN)}&to=${iso(t0 + 10 * MIN)}`;
const ats = (readings: Array<{ at: string }>) => readings.map((r) => r.at);

describeNeeding('iot')('readings cursors are bound to their device, window and order', () => {
  it('a cursor from the same query pages through every reading once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get(readingsPath(`${window}&order=asc&limit=4${cursor ? `&cursor=${cursor}` : ''}`));
      expect(res.status).toBe(200);
      seen.push(...ats(res.json.readings));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor && pages < 5);
    expect(seen).toEqual(Array.from({ length: 6 }, (_, i) => iso(t0 + i * MIN)));
    expect(pages).toBe(2);
  });

  it('a cursor of the default window (which moves with the clock) pages on without from and to', async () => {
    const first = await get(readingsPath('limit=4'));
    const next = await get(readingsPath(`limit=4&cursor=${first.json.nextCursor}`));
    expect(next.status).toBe(200);
    expect([...ats(first.json.readings), ...ats(next.json.readings)]).toEqual(Array.from({ length: 6 }, (_, i) => iso(t0 + (5 - i) * MIN)));
  });

  it('regression: a cursor sent with another window is a 400 JSON error (it was a 500: start key outside the range)', async () => {
    const { json } = await get(readingsPath(`${window}&order=asc&limit=2`));
    const later = readingsPath(`from=${iso(t0 + 20 * MIN)}&to=${iso(t0 + 25 * MIN)}&order=asc&limit=2&cursor=${json.nextCursor}`);
    expect(await misanswered([badQuery('a cursor of another window', later)], bearer(manager))).toEqual([]);
  });

  it('a cursor with another device, order or window, edited, or crafted is a 400', async () => {
    const { json } = await get(readingsPath(`${window}&order=asc&limit=2`));
    const cursor: string = json.nextCursor;
    const page = cursor.slice(cursor.lastIndexOf('.') + 1);
    const cases: Array<[string, string]> = [
      ...Object.entries(ODD_CURSORS).map(([what, odd]): [string, string] => [what, readingsPath(`cursor=${odd}`)]),
      ['an overlapping window', readingsPath(`from=${iso(t0)}&to=${iso(t0 + 10 * MIN)}&order=asc&limit=2&cursor=${cursor}`)],
      ['only to changed', readingsPath(`to=${iso(t0 + 9 * MIN)}&order=asc&limit=2&cursor=${cursor}`)],
      ['another device', readingsPath(`${window}&order=asc&limit=2&cursor=${cursor}`, other.device.deviceId)],
      ['another order', readingsPath(`${window}&order=desc&limit=2&cursor=${cursor}`)],
      ['the window in the cursor edited', readingsPath(`order=asc&limit=2&cursor=${cursor.replace(/^\d+/, String(t0 - 2 * MIN))}`)],
      ['the page cursor without its window, on the default window', readingsPath(`order=asc&limit=2&cursor=${page}`)],
      ['the page cursor edited', readingsPath(`${window}&order=asc&limit=2&cursor=${cursor.slice(0, -3)}${cursor.endsWith('AAA') ? 'BBB' : 'AAA'}`)],
      ['regression: the sort key the old cursors carried (it was a 500)', readingsPath(`cursor=${Buffer.from('R#2026-01-01T00:00:00.000Z').toString('base64url')}`)],
      ['a window and no page cursor', readingsPath('cursor=1.2.')],
      ['a window of all of time', readingsPath(`cursor=0.${Date.now()}.${page}`)],
      ['a window past any instant', readingsPath(`cursor=${'9'.repeat(16)}.${'9'.repeat(16)}.${page}`)],
      ['a key with a made-up digest', readingsPath(`cursor=${b64({ v: 1, k: { pk: `SITE#${siteId}#DEVICE#${deviceId}`, sk: 'R#2026' }, d: 'x'.repeat(22) })}`)],
      ['the readings cursor on the incidents list', `/sites/${siteId}/incidents?cursor=${cursor}`],
    ];
    expect(await misanswered(cases.map(([what, path]) => badQuery(what, path)), bearer(manager))).toEqual([]);
  });
});

describeNeeding('iot')('rejects, commands and incidents page with cursors of their own', () => {
  it('rejects: page 2 follows page 1; the cursor is refused at another site', async () => {
    const first = await get(`/sites/${siteId}/telemetry-rejects?limit=1`);
    const second = await get(`/sites/${siteId}/telemetry-rejects?limit=1&cursor=${first.json.nextCursor}`);
    expect(second.status).toBe(200);
    expect([...first.json.rejects, ...second.json.rejects].map((r: { reason: string }) => r.reason).sort()).toEqual([
      'temperatureC: Invalid input: expected number, received string',
      'temperatureC: Invalid input: expected number, received undefined',
    ]);
    const probe = badQuery('a rejects cursor at another site', `/sites/${otherSiteId}/telemetry-rejects?limit=1&cursor=${first.json.nextCursor}`);
    expect(await misanswered([probe], bearer(manager))).toEqual([]);
  });

  it('commands: newest first, page by page; the cursor is refused for another device', async () => {
    const first = await get(`${devicePath()}/commands?limit=1`);
    const second = await get(`${devicePath()}/commands?limit=1&cursor=${first.json.nextCursor}`);
    expect([...first.json.commands, ...second.json.commands].map((c: { request: unknown }) => c.request)).toEqual([{ setpointC: 50 }, { setpointC: 40 }]);
    const probe = badQuery('a commands cursor of another device', `${devicePath(other.device.deviceId)}/commands?cursor=${first.json.nextCursor}`);
    expect(await misanswered([probe], bearer(manager))).toEqual([]);
  });

  it('odd cursors are a 400 on every list', async () => {
    const lists = [`/sites/${siteId}/incidents`, `/sites/${siteId}/incidents?status=open`, `/sites/${siteId}/telemetry-rejects`, `${devicePath()}/commands`];
    const probes = lists.flatMap((list) =>
      Object.entries({ ...ODD_CURSORS, 'a window cursor': `1.2.${b64({})}`, 'an old sort-key cursor': Buffer.from('INCIDENT#x').toString('base64url') }).map(([what, odd]) =>
        badQuery(`${list}: ${what}`, `${list}${list.includes('?') ? '&' : '?'}cursor=${odd}`),
      ),
    );
    expect(await misanswered(probes, bearer(manager))).toEqual([]);
  });
});

describeNeeding('iot')('dates and instants', () => {
  it('regression: a HACCP log of a day outside 2000..2199 is a 400 JSON error (year 0000 and 9999 were a 500)', async () => {
    const probes = ODD_DATES.flatMap((date) => [
      badQuery(`haccp date=${date}`, `/sites/${siteId}/haccp?date=${encodeURIComponent(date)}`),
      badQuery(`haccp date=${date} as JSON`, `/sites/${siteId}/haccp?date=${encodeURIComponent(date)}&format=json`),
    ]);
    expect(await misanswered([...probes, badQuery('haccp without a date', `/sites/${siteId}/haccp`), badQuery('haccp as xml', `/sites/${siteId}/haccp?date=2026-01-01&format=xml`)], bearer(manager))).toEqual([]);
  });

  it('the first and last days and instants the schemas accept are answered', async () => {
    for (const path of [
      `/sites/${siteId}/haccp?date=2000-01-01&format=json`,
      `/sites/${siteId}/haccp?date=2199-12-31`,
      readingsPath('from=2199-12-30T00:00:00Z&to=2199-12-31T23:59:59.999Z'),
      `${devicePath()}/aggregates?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z`,
    ]) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
    }
  });

  it.each([
    ['readings', 7],
    ['aggregates', 31],
  ])('%s: instants outside 2000..2199, turned around, too wide or not instants are a 400', async (route, maxDays) => {
    const path = (query: string) => `${devicePath()}/${route}?${query}`;
    const jan1 = Date.parse('2026-01-01T00:00:00Z');
    const cases: Array<[string, string]> = [
      ['year 0000', 'from=0000-01-01T00:00:00Z&to=0000-01-02T00:00:00Z'],
      ['year 9999', 'from=9999-12-30T00:00:00Z&to=9999-12-31T23:59:59Z'],
      ['to in year 9999 alone', 'to=9999-12-31T23:59:59Z'],
      ['from before 2000', 'from=1999-12-31T23:59:59Z'],
      ['to after 2199', 'to=2200-01-01T00:00:00Z'],
      ['epoch 0', 'from=1970-01-01T00:00:00Z&to=1970-01-01T01:00:00Z'],
      ['a six-digit year', 'from=%2B275760-09-13T00:00:00Z'],
      ['from after to', 'from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z'],
      [`wider than ${maxDays} days`, `from=${iso(jan1)}&to=${iso(jan1 + (maxDays + 1) * 86_400_000)}`],
      ['all of time', 'from=2000-01-01T00:00:00Z&to=2199-12-31T23:59:59Z'],
      ['a date, not an instant', 'from=2026-01-01'],
      ['no offset', 'from=2026-01-01T00:00:00'],
      ['words', 'from=yesterday'],
      ['epoch milliseconds', 'to=1767225600000'],
      ['empty', 'from='],
    ];
    expect(await misanswered(cases.map(([what, query]) => badQuery(`${route} ${what}`, path(query))), bearer(manager))).toEqual([]);
  });
});

it('odd page sizes and unknown values are a 400', async () => {
  const limits = (path: string, max: number) =>
    [...ODD_LIMITS.filter((limit) => !(Number(limit) >= 1 && Number(limit) <= max)), String(max + 1)].map((limit) =>
      badQuery(`${path} limit=${limit.slice(0, 20)}`, `${path}?limit=${limit}`),
    );
  const probes = [
    ...limits(`${devicePath()}/readings`, 500),
    ...limits(`${devicePath()}/commands`, 100),
    ...limits(`/sites/${siteId}/incidents`, 100),
    ...limits(`/sites/${siteId}/telemetry-rejects`, 200),
    badQuery('readings order=sideways', readingsPath('order=sideways')),
    badQuery('incidents status=maybe', `/sites/${siteId}/incidents?status=maybe`),
  ];
  expect(await misanswered(probes, bearer(manager))).toEqual([]);
});

it('odd path ids on every route are a 4xx with a JSON error, never a 5xx', async () => {
  const routes = Object.keys(policies).filter((route) => route.includes('{'));
  expect(routes.length).toBeGreaterThanOrEqual(15);
  const valid = { siteId, deviceId, incidentId: '000000000-00000000' };
  const probes = routes.flatMap((route) => oddIdProbes(route, valid));
  expect(await misanswered(probes, bearer(manager))).toEqual([]);
});

it('regression: temperatures DynamoDB cannot store are a 400 or kept to 0.01 °C, never a 500 (a setpoint of 1e300 or 1e-200 was)', async () => {
  const otherPath = devicePath(other.device.deviceId);
  const command = (setpointC: number) => api('POST', `${otherPath}/commands`, { body: { setpointC }, headers: bearer(manager) });
  for (const setpointC of [1e300, -1e308, 400.5]) expect(await command(setpointC)).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_FAILED' } } });
  const tiny = await command(1e-200);
  expect(tiny).toMatchObject({ status: 202, json: { desired: { setpointC: 0 } } });
  expect((await get(`${otherPath}/commands?limit=1`)).json.commands[0]).toMatchObject({ result: 'accepted', request: { setpointC: 0 } });
  const limited = await api('PATCH', otherPath, { body: { limits: { minC: 1e-200, maxC: 5.006 } }, headers: bearer(manager) });
  expect(limited.status).toBe(200);
  expect(limited.json.limits).toEqual({ minC: 0, maxC: 5.01 });
});

it('regression: telemetry holding numbers DynamoDB cannot store is kept as a reject once, and the readings after it are stored', async () => {
  const topic = registered.connection.telemetryTopic;
  const since = Date.now();
  const t = since - 60_000;
  const odd = [
    '{"temperatureC":-1e308}',
    `{"temperatureC":3,"seq":1e300}`,
    `{"readings":[{"t":${t},"temperatureC":3.2},{"t":${t + 1},"temperatureC":1e400},{"t":1e20,"temperatureC":3}]}`,
    `{"temperatureC":"cold","nested":${'{"a":'.repeat(40)}1e-200${'}'.repeat(40)}}`,
  ];
  for (const payload of odd) await device.publishAsync(topic, payload, { qos: 1 });
  await device.publishAsync(topic, JSON.stringify({ t: t + 2000, temperatureC: 3.4 }), { qos: 1 });
  await waitForReadingAt(siteId, deviceId, t + 2000, manager);
  // A reject whose write failed is written when its message comes again, which may be after the readings around it.
  const keptNow = async () =>
    ((await get(`/sites/${siteId}/telemetry-rejects?limit=200`)).json.rejects as Array<{ deviceId: string; receivedAt: string; reason: string; payload: unknown }>).filter(
      (r) => r.deviceId === deviceId && Date.parse(r.receivedAt) >= since,
    );
  const kept = await eventually(async () => {
    const rejects = await keptNow();
    return rejects.length >= 5 ? rejects : undefined;
  }, 20_000, 'the five rejects kept').catch(keptNow);
  expect(kept.map((r) => r.reason).sort()).toEqual([
    'seq: Too big: expected int to be <=9007199254740991; seq: Too big: expected number to be <=9007199254740991',
    't: Too big: expected int to be <=9007199254740991',
    'temperatureC: Invalid input: expected number, received null',
    'temperatureC: Invalid input: expected number, received string',
    'temperatureC: Too small: expected number to be >=-60',
  ]);
  // As the device sent it, but for what JSON cannot say: 1e400 is Infinity, which the rule writes as null.
  expect(kept.find((r) => r.reason.startsWith('temperatureC: Too small'))?.payload).toEqual({ temperatureC: -1e308 });
  expect(kept.find((r) => r.reason.endsWith('received null'))?.payload).toEqual({ t: t + 1, temperatureC: null });
  expect(kept.find((r) => r.reason.endsWith('received string'))?.payload).toMatchObject({ temperatureC: 'cold', nested: { a: { a: {} } } });
  expect(readingsOf(await get(readingsPath(`from=${iso(t - MIN)}&to=${iso(t + MIN)}&order=asc`)))).toEqual([3.2, 3.4]);
});

const readingsOf = (res: Awaited<ReturnType<typeof get>>) => (res.json.readings as Array<{ temperatureC: number }>).map((r) => r.temperatureC);

describeLocal('the local broker holds devices to IoT Core’s message-broker limits', () => {
  /** A topic of exactly `bytes` bytes and `slashes` slashes under a prefix of this run. */
  const topicOf = (bytes: number, slashes: number) => {
    const head = `limits-${uniqueId('t')}`;
    const levels = `${head}${'/x'.repeat(slashes)}`;
    return levels.replace(/x$/, 'x'.repeat(bytes - levels.length + 1));
  };
  /** Whether the broker closes the client's connection after it sends this. */
  async function closesConnection(send: (client: MqttClient) => Promise<unknown>): Promise<boolean> {
    const client = await mqttClient(uniqueId('limits'));
    const closed = new Promise<boolean>((resolve) => {
      client.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 3_000);
    });
    send(client).catch(() => undefined);
    const result = await closed;
    await client.endAsync(true);
    return result;
  }

  it('a topic past 256 bytes or 7 slashes, or a payload past 128 KB, closes the connection; at the limits the message is delivered', async () => {
    const atLimits = topicOf(256, 7);
    expect([Buffer.byteLength(atLimits), atLimits.split('/').length - 1]).toEqual([256, 7]);
    const subscriber = await mqttClient(uniqueId('limits-sub'));
    const publisher = await mqttClient(uniqueId('limits-pub'));
    try {
      expect(await subscriber.subscribeAsync(atLimits, { qos: 1 })).toEqual([expect.objectContaining({ qos: 1 })]);
      const received = new Promise<Buffer>((resolve) => subscriber.once('message', (_topic, payload) => resolve(payload)));
      await publisher.publishAsync(atLimits, Buffer.alloc(128 * 1024, 'a'), { qos: 1 });
      expect((await received).length).toBe(128 * 1024);
    } finally {
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    }
    expect(await closesConnection((c) => c.publishAsync(topicOf(257, 3), '{}', { qos: 1 }))).toBe(true);
    expect(await closesConnection((c) => c.publishAsync(topicOf(60, 8), '{}', { qos: 1 }))).toBe(true);
    expect(await closesConnection((c) => c.publishAsync(topicOf(60, 3), Buffer.alloc(128 * 1024 + 1), { qos: 1 }))).toBe(true);
    // Basic Ingest's `$aws/rules/<rule>/` does not count towards the slashes.
    expect(await closesConnection((c) => c.publishAsync(`$aws/rules/no_such_rule/${topicOf(60, 7)}`, '{}', { qos: 0 }))).toBe(false);
  });

  it('a subscription past the limits is refused (0x80), the connection kept', async () => {
    const client = await mqttClient(uniqueId('limits-sub'));
    try {
      // mqtt.js rejects a SUBACK holding 0x80 with "Subscribe error".
      await expect(client.subscribeAsync(topicOf(257, 2), { qos: 1 })).rejects.toThrow('Subscribe error');
      await expect(client.subscribeAsync(topicOf(80, 8), { qos: 1 })).rejects.toThrow('Subscribe error');
      expect(await client.subscribeAsync(topicOf(80, 2), { qos: 1 })).toEqual([expect.objectContaining({ qos: 1 })]);
      expect(client.connected).toBe(true);
    } finally {
      await client.endAsync();
    }
  });
});
