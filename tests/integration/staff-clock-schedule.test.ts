// The time clock held to the schedule, over the running stack: a clock-in more than the site's earlyClockInMinutes
// before the person's published shift today is a 409 for staff and goes through for a manager on the tablet (the
// punch says who approved it); none that day is allowed and marked unscheduled. Then the auto-close job (invoked
// through the local Lambda endpoint, as the scheduler would): forgotten clock-outs closed at the scheduled end or
// after autoCloseAfterHours, flagged on the punch and the event, a recent clock left alone, and a tap racing the job:
// one clock-out, never two. Published shifts are put straight into the table with the ShiftRecord shape.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ClockRow } from '../../functions/staff/clock-store';
import type { PunchRecord } from '../../functions/staff/schemas';
import type { ShiftRecord } from '../../functions/staff/shift-store';
import { staffKeys } from '../../functions/staff/table';
import { bearer, createUser, type TestUser } from './support/identity';
import { expectStatus } from './support/orders';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { directoryItem, putProfile, staffSite, tap, type StaffSite } from './support/staff';
import { api, describeLocal, dynamo, eventually, stage, tableName, uniqueId } from './support/target';

jest.setTimeout(120_000);

const TIME_ZONE = 'Europe/Paris';
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const localDate = (ms: number) => new Date(ms).toLocaleDateString('en-CA', { timeZone: TIME_ZONE });
const table = () => tableName('staff');

let site: StaffSite;
let third: TestUser;

async function publishShift(userId: string, start: number, end: number, date = localDate(start)): Promise<ShiftRecord> {
  const now = iso(Date.now());
  const shift: ShiftRecord = { siteId: site.siteId, shiftId: uniqueId('shift'), date, start: iso(start), end: iso(end), positionId: 'server', userId, status: 'published', breakMinutes: 0, flags: [], version: 1, createdAt: now, updatedAt: now, updatedBy: site.manager.userId };
  await dynamo.send(new PutCommand({ TableName: table(), Item: { ...staffKeys.shift(site.siteId, date, shift.shiftId), ...shift } }));
  return shift;
}

const punchesOf = async (userId: string) =>
  ((await dynamo.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#PUNCHES#${userId}`, ':p': 'PUNCH#' }, ConsistentRead: true }))).Items ?? []) as PunchRecord[];
const clockOf = async (userId: string) => (await dynamo.send(new GetCommand({ TableName: table(), Key: staffKeys.clock(site.siteId, userId), ConsistentRead: true }))).Item as ClockRow | undefined;

beforeAll(async () => {
  site = await staffSite();
  third = await createUser('staff', [site.siteId]);
  await Promise.all([site.staff, site.colleague, third].map((person) => putProfile(site.siteId, site.manager, person.userId)));
  await directoryItem(staffKeys.site(site.siteId), (item) => item.timeZone === TIME_ZONE, 'the site in staff’s directory');
}, 120_000);

describe('early clock-in', () => {
  it('staff more than earlyClockInMinutes before their shift today: 409 naming its start and when they may clock in', async () => {
    const shift = await publishShift(site.staff.userId, Date.now() + 2 * HOUR, Date.now() + 6 * HOUR, localDate(Date.now()));
    const res = await expectStatus(tap(site.siteId, site.staff, site.staff.userId, 'clock-in'), 409);
    expect(res.json.error).toMatchObject({ code: 'EARLY_CLOCK_IN', details: { shiftId: shift.shiftId, shiftStart: shift.start, clockInFrom: iso(Date.parse(shift.start) - 10 * 60_000) } });
    expect(await punchesOf(site.staff.userId)).toEqual([]);
    expect(await clockOf(site.staff.userId)).toBeUndefined();
  });

  it('a manager on the tablet lets it through: the punch records who approved it and the shift', async () => {
    const res = await expectStatus(tap(site.siteId, site.manager, site.staff.userId, 'clock-in'), 201);
    expect(res.json.punches).toEqual([expect.objectContaining({ kind: 'clock-in', by: site.manager.userId, earlyApprovedBy: site.manager.userId, scheduledShiftId: expect.stringMatching(/^shift-/) })]);
    expect((await punchesOf(site.staff.userId))[0]).toMatchObject({ earlyApprovedBy: site.manager.userId });
    await expectStatus(tap(site.siteId, site.staff, site.staff.userId, 'clock-out'), 201);
  });

  it('within the window: staff clock in themselves, held to the shift; with no shift that day: unscheduled', async () => {
    const soon = await publishShift(site.colleague.userId, Date.now() + 5 * 60_000, Date.now() + 4 * HOUR, localDate(Date.now()));
    // A draft shift and a shift of another day do not count.
    await publishShift(third.userId, Date.now() + 3 * HOUR, Date.now() + 5 * HOUR, '2026-01-01');
    const colleague = await expectStatus(tap(site.siteId, site.colleague, site.colleague.userId, 'clock-in'), 201);
    expect(colleague.json.punches[0]).toMatchObject({ scheduledShiftId: soon.shiftId });
    expect(colleague.json.punches[0]).not.toHaveProperty('unscheduled');
    const unscheduled = await expectStatus(tap(site.siteId, third, third.userId, 'clock-in'), 201);
    expect(unscheduled.json.punches[0]).toMatchObject({ unscheduled: true });
    expect(unscheduled.json.punches[0]).not.toHaveProperty('scheduledShiftId');
    await Promise.all([tap(site.siteId, site.colleague, site.colleague.userId, 'clock-out'), tap(site.siteId, third, third.userId, 'clock-out')].map((res) => expectStatus(res, 201)));
  });
});

describeLocal('auto-close of forgotten clock-outs (local: the job is invoked through the local Lambda endpoint)', () => {
  const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${process.env.BRIGADE_LAMBDA_PORT ?? '3002'}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const events: Array<{ id: string; type: string; data: Record<string, unknown> }> = [];
  let subscriber: HttpSubscriber | undefined;
  beforeAll(async () => {
    subscriber = await subscribeHttp('events', { siteId: [site.siteId], type: ['staff.clocked-out'] }, (envelope) => events.push(envelope));
    await expectStatus(api('PUT', `/sites/${site.siteId}/staff/settings`, { body: { autoCloseAfterHours: 4 }, headers: bearer(site.manager) }), 201);
  });
  afterAll(async () => {
    await subscriber?.close();
    lambda.destroy();
  });

  const runJob = async () => JSON.parse(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: `brigade-${stage}-autoCloseClocks`, Payload: Buffer.from('{}') }))).Payload!).toString());

  /** A clock opened at `clockedInAt` (and on a break from `breakFrom`), left as the clock writes it: the clock item and its raw punches. */
  async function forgotten(userId: string, clockedInAt: number, breakFrom?: number): Promise<string> {
    const shiftId = uniqueId('shift');
    const punch = (kind: PunchRecord['kind'], seq: number, at: number): PunchRecord => ({ siteId: site.siteId, userId, shiftId, seq, kind, at: iso(at), localDate: localDate(at), positionId: 'server', by: userId });
    const punches = [punch('clock-in', 1, clockedInAt), ...(breakFrom ? [punch('break-start', 2, breakFrom)] : [])];
    const clock: ClockRow = {
      siteId: site.siteId,
      userId,
      state: breakFrom ? 'on-break' : 'working',
      shift: { shiftId, positionId: 'server', clockedInAt, breakSeconds: 0, ...(breakFrom ? { breakStartedAt: breakFrom } : {}) },
      seq: punches.length,
      version: 1,
      updatedAt: iso(breakFrom ?? clockedInAt),
    };
    await Promise.all([
      dynamo.send(new PutCommand({ TableName: table(), Item: { ...staffKeys.clock(site.siteId, userId), ...clock } })),
      ...punches.map((p) => dynamo.send(new PutCommand({ TableName: table(), Item: { ...staffKeys.punch(site.siteId, userId, p.at, shiftId, p.seq), ...p } }))),
    ]);
    return shiftId;
  }
  const ofShift = async (userId: string, shiftId: string) => (await punchesOf(userId)).filter((p) => p.shiftId === shiftId);

  it('closes at the covering shift’s end, or at clock-in + autoCloseAfterHours (an open break with it); flags punch and event; leaves a recent clock', async () => {
    const t0 = Date.now() - 6 * HOUR;
    await publishShift(site.staff.userId, t0 + 5 * 60_000, t0 + 3 * HOUR);
    const [scheduled, unscheduled] = await Promise.all([forgotten(site.staff.userId, t0), forgotten(site.colleague.userId, t0, t0 + HOUR)]);
    await expectStatus(tap(site.siteId, third, third.userId, 'clock-in'), 201);

    const result = await runJob();
    expect(result.closed).toBeGreaterThanOrEqual(2);

    const staffPunches = await ofShift(site.staff.userId, scheduled);
    expect(staffPunches.map((p) => p.kind)).toEqual(['clock-in', 'clock-out']);
    expect(staffPunches[1]).toMatchObject({ at: iso(t0 + 3 * HOUR), by: 'system', closedBy: 'auto-close' });
    const colleaguePunches = await ofShift(site.colleague.userId, unscheduled);
    expect(colleaguePunches.map((p) => `${p.kind}:${p.closedBy ?? ''}`)).toEqual(['clock-in:', 'break-start:', 'break-end:clock-out', 'clock-out:auto-close']);
    expect(colleaguePunches[3]).toMatchObject({ at: iso(t0 + 4 * HOUR), by: 'system' });
    expect(await clockOf(site.staff.userId)).toMatchObject({ state: 'off', version: 2 });
    expect(await clockOf(third.userId)).toMatchObject({ state: 'working' });

    const closedEvents = await eventually(async () => {
      const seen = events.filter((e) => e.data.shiftId === scheduled || e.data.shiftId === unscheduled);
      return seen.length >= 2 ? seen : undefined;
    }, 20_000, 'the auto-closed staff.clocked-out events');
    expect(closedEvents.find((e) => e.data.shiftId === scheduled)?.data).toMatchObject({ autoClosed: true, clockedOutAt: iso(t0 + 3 * HOUR), workedSeconds: 3 * 3600, breakSeconds: 0 });
    expect(closedEvents.find((e) => e.data.shiftId === unscheduled)?.data).toMatchObject({ autoClosed: true, workedSeconds: 3600, breakSeconds: 3 * 3600 });

    // A second run finds nothing more of theirs to close.
    await runJob();
    expect(await ofShift(site.staff.userId, scheduled)).toHaveLength(2);
    await expectStatus(tap(site.siteId, third, third.userId, 'clock-out'), 201);
  });

  it('a clock-out tap racing the job: one clock-out, never two', async () => {
    for (let round = 0; round < 3; round++) {
      const shiftId = await forgotten(site.colleague.userId, Date.now() - 5 * HOUR);
      const [job, tapped] = await Promise.all([runJob(), tap(site.siteId, site.colleague, site.colleague.userId, 'clock-out')]);
      const outs = (await ofShift(site.colleague.userId, shiftId)).filter((p) => p.kind === 'clock-out');
      expect(outs).toHaveLength(1);
      expect(tapped.status === 201).toBe(outs[0]!.closedBy === undefined);
      if (tapped.status !== 201) expect(tapped.status).toBe(409);
      expect(job.failed).toBe(0);
      expect(await clockOf(site.colleague.userId)).toMatchObject({ state: 'off' });
    }
  });
});
