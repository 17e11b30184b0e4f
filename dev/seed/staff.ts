// The demo site's staff: the demo staff member (a server, sometimes behind the bar, part-time, with a raise in July)
// and three kitchen and bar people who punch on the manager's tablet, each with a staff profile (positions, wages,
// employment, the US-FLSA pack: the demo site is in New York and no demo site is Korean), and two weeks of punches
// ending yesterday in the site's time zone, so timesheets and payroll show real numbers after `npm start`. Their
// schedule is published over those two weeks and the next one (the history's clock-ins are linked to their shifts,
// so late arrivals show), and the week after holds a draft and an open shift, so the manager has one to publish and
// staff one to claim.
//
// The three tablet-only people are not users (they cannot sign in): they are written into staff's own copy of the
// directory (what the users domain's events would have taught it) with ids of their own, `demo-staff-*`.
// Punches are made by the clock's own rules (clock-rules.ts tap and punchRecords), so they have the exact shape the
// clock writes; each day's times are derived from the person and the date, so a second run (or a run a day later)
// writes the same keys again and only what is missing is added. Clocks are not written: each person's is off, or as
// they left it. Directory records are written once, on condition they are new. Profiles too, through the profile
// store's own write with their staff.pay-rates-changed in the outbox, as a PUT makes them: the table's stream
// publishes the events, so after `npm start` analytics can cost the demo's labour.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import { ConflictError } from '../../functions/shared/errors';
import { addDays, localDateOf, zonedTimeToInstant } from '../../functions/shared/time';
import { OFF_CLOCK, punchRecords, tap, type Clock, type PunchKind } from '../../functions/staff/clock-rules';
import { payRatesChanged } from '../../functions/staff/events';
import { payrollPack } from '../../functions/staff/payroll-packs';
import { payRatesOf } from '../../functions/staff/profile-rules';
import { ProfileStore } from '../../functions/staff/profile-store';
import type { Position, ProfileRecord, PunchRecord } from '../../functions/staff/schemas';
import type { ShiftRecord } from '../../functions/staff/shift-store';
import { partitions, staffKeys } from '../../functions/staff/table';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../../local-cloud/types';

const HISTORY_DAYS = 14;
/** Published days ahead of today; the next week's are drafts. */
const PUBLISHED_AHEAD_DAYS = 7;
const DRAFT_AHEAD_DAYS = 14;

interface DemoPerson {
  userId: string;
  name: string;
  positions: Position[];
  employment: ProfileRecord['employment'];
  /** The local days of the week (0 = Sunday) worked, the usual start (HH:MM), hours on the clock and break minutes. */
  pattern: { days: number[]; start: string; hours: number; breakMinutes: number; position: string };
}

const hourly = (positionId: Position['positionId'], ...wages: Array<[string, number]>): Position => ({
  positionId,
  active: true,
  wages: wages.map(([from, amount]) => ({ from, kind: 'hourly', amount })),
});

function demoPeople(staffMember: { userId: string; name: string }): DemoPerson[] {
  return [
    {
      ...staffMember,
      positions: [hourly('server', ['2026-01-01', 1650], ['2026-07-01', 1800]), hourly('bartender', ['2026-01-01', 1900])],
      employment: { type: 'part-time', weeklyHours: 24, weeklyDays: 4, restDay: 'sun' },
      pattern: { days: [3, 4, 5, 6], start: '16:00', hours: 6.5, breakMinutes: 30, position: 'server' },
    },
    {
      userId: 'demo-staff-cook',
      name: 'Maria Lopez',
      positions: [hourly('line-cook', ['2026-01-01', 2100], ['2026-10-01', 2250]), hourly('prep-cook', ['2026-01-01', 1900])],
      employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 5, restDay: 'mon' },
      // Five long days: overtime past 40 h in every workweek.
      pattern: { days: [2, 3, 4, 5, 6], start: '10:00', hours: 9, breakMinutes: 30, position: 'line-cook' },
    },
    {
      userId: 'demo-staff-dish',
      name: 'Sam Okafor',
      positions: [hourly('dishwasher', ['2026-01-01', 1600])],
      employment: { type: 'part-time', weeklyHours: 20, weeklyDays: 4, restDay: 'tue' },
      pattern: { days: [0, 4, 5, 6], start: '17:00', hours: 5.5, breakMinutes: 0, position: 'dishwasher' },
    },
    {
      userId: 'demo-staff-bar',
      name: 'Jin Park',
      positions: [hourly('bartender', ['2026-01-01', 1750])],
      employment: { type: 'part-time', weeklyHours: 28, weeklyDays: 4, restDay: 'mon' },
      // Closes the bar: the shift crosses midnight, its hours count for the day it began.
      pattern: { days: [3, 4, 5, 6], start: '18:00', hours: 7.5, breakMinutes: 20, position: 'bartender' },
    },
  ];
}

/** A number in [0, 1) fixed by the person and the day: the same times on every run. */
function jitter(userId: string, date: string, salt: string): number {
  return createHash('sha256').update(`${userId}#${date}#${salt}`).digest().readUInt32BE(0) / 2 ** 32;
}

const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();

/** The shift id of the person's scheduled shift on `date`: `{date}-{12 hex}` as the schedule makes them, fixed per person and day. */
const demoShiftId = (userId: string, date: string) => `${date}-${createHash('sha256').update(`${userId}#${date}#shift`).digest('hex').slice(0, 12)}`;

/** The person's scheduled shift on `date` (their usual start and length): published, or a draft. */
function scheduledShift(siteId: string, timeZone: string, person: DemoPerson, date: string, status: ShiftRecord['status'], now: string): ShiftRecord {
  const start = zonedTimeToInstant(date, person.pattern.start, timeZone);
  return {
    siteId,
    shiftId: demoShiftId(person.userId, date),
    date,
    start: new Date(start).toISOString(),
    end: new Date(start + person.pattern.hours * 3_600_000).toISOString(),
    positionId: person.pattern.position,
    userId: person.userId,
    status,
    breakMinutes: person.pattern.breakMinutes,
    flags: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: 'demo-seed',
    ...(status === 'published' ? { publishedAt: now } : {}),
  };
}

/**
 * The time clock's shift id of the person's shift that day: unique per person and day, so the clock-out events the
 * analytics history makes of them (`clock-out:{shiftId}`) never share an id.
 */
const demoClockShiftId = (userId: string, date: string) => `shift-demo-${date}-${createHash('sha256').update(`${userId}#${date}#clock`).digest('hex').slice(0, 8)}`;

/** The punches of one day's shift, made by the clock's rules as the tablet would have made them. */
function shiftPunches(siteId: string, timeZone: string, person: DemoPerson, date: string): PunchRecord[] {
  const { start, hours, breakMinutes, position } = person.pattern;
  const [hh, mm] = start.split(':') as [string, string];
  const minute = 60_000;
  // Up to 8 minutes early or late, a shift up to 40 minutes longer or shorter.
  const clockIn = zonedTimeToInstant(date, `${hh}:${mm}`, timeZone) + Math.round((jitter(person.userId, date, 'in') * 16 - 8)) * minute;
  const clockOut = clockIn + Math.round(hours * 60 + (jitter(person.userId, date, 'out') * 80 - 40)) * minute;
  const taps: Array<[PunchKind, number]> = [['clock-in', clockIn]];
  if (breakMinutes > 0) {
    const breakAt = clockIn + Math.round((hours / 2) * 60 + jitter(person.userId, date, 'break') * 30) * minute;
    taps.push(['break-start', breakAt], ['break-end', breakAt + breakMinutes * minute]);
  }
  taps.push(['clock-out', clockOut]);
  let clock: Clock = OFF_CLOCK;
  return taps.flatMap(([kind, at]) => {
    const outcome = tap(clock, kind, at, { shiftId: demoClockShiftId(person.userId, date), positionId: position });
    const punches = punchRecords(outcome, clock, at, { siteId, userId: person.userId, by: person.userId, timeZone, marks: { scheduledShiftId: demoShiftId(person.userId, date) } });
    clock = outcome.after;
    return punches;
  });
}

/** Puts `item` unless an item with its key exists; 1 when written. */
async function putNew(db: DynamoDBDocumentClient, table: string, item: Record<string, unknown>): Promise<number> {
  try {
    await db.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return 1;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 0;
    throw error;
  }
}

async function batchWrite(db: DynamoDBDocumentClient, table: string, items: Array<Record<string, unknown>>, what: string): Promise<void> {
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25).map((Item) => ({ PutRequest: { Item } })));
  await Promise.all(
    batches.map(async (batch) => {
      let requests = batch;
      for (let attempt = 0; requests.length > 0 && attempt < 5; attempt++) {
        const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
      }
      if (requests.length > 0) throw new Error(`demo ${what}: ${requests.length} unprocessed`);
    }),
  );
}

/**
 * The site's schedule: everyone's usual shifts published from two weeks ago to a week ahead, drafts the week after,
 * and one open Saturday server shift. Only shifts not stored yet are written (a manager's later edits stay).
 */
async function seedSchedule(db: DynamoDBDocumentClient, table: string, siteId: string, timeZone: string, people: DemoPerson[]): Promise<number> {
  const today = localDateOf(Date.now(), timeZone);
  const first = addDays(today, -HISTORY_DAYS);
  const last = addDays(today, DRAFT_AHEAD_DAYS);
  const now = new Date().toISOString();
  const shifts: ShiftRecord[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const status = date <= addDays(today, PUBLISHED_AHEAD_DAYS) ? 'published' : 'draft';
    for (const person of people) if (person.pattern.days.includes(weekday(date))) shifts.push(scheduledShift(siteId, timeZone, person, date, status, now));
    if (status === 'draft' && weekday(date) === 6) {
      const { userId: _nobody, ...open } = scheduledShift(siteId, timeZone, people[0]!, date, 'published', now);
      shifts.push({ ...open, shiftId: demoShiftId('open-server', date), note: 'Extra server for the Saturday rush' });
    }
  }
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': partitions.shifts(siteId), ':from': `SHIFT#${first}`, ':to': `SHIFT#${last}~` },
      ProjectionExpression: 'sk',
    }),
  );
  const stored = new Set(Items.map((item) => item.sk as string));
  const missing = shifts.map((shift) => ({ ...staffKeys.shift(siteId, shift.date, shift.shiftId), ...shift })).filter((item) => !stored.has(item.sk));
  await batchWrite(db, table, missing, 'shifts');
  return missing.length;
}

/** The person's punch history over the last two weeks: the days' punches not yet stored, in batches of 25. */
async function seedPunches(db: DynamoDBDocumentClient, table: string, siteId: string, timeZone: string, person: DemoPerson): Promise<number> {
  const yesterday = addDays(localDateOf(Date.now(), timeZone), -1);
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(yesterday, i - HISTORY_DAYS + 1));
  const worked = days.filter((date) => person.pattern.days.includes(weekday(date)));
  // A night shift of yesterday still running now (npm start just after midnight) waits for a later run.
  const punches = worked.map((date) => shiftPunches(siteId, timeZone, person, date)).filter((shift) => Date.parse(shift.at(-1)!.at) < Date.now()).flat();
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': partitions.punches(siteId, person.userId), ':from': `PUNCH#${punches[0]?.at ?? ''}`, ':to': `PUNCH#${punches.at(-1)?.at ?? ''}~` },
      ProjectionExpression: 'sk',
    }),
  );
  // By instant, not by key: a store seeded before the shift ids changed (they were not unique per person) keeps its
  // punches and gets no second copy of them.
  const instantOf = (sk: string) => sk.split('#')[1];
  const stored = new Set(Items.map((item) => instantOf(item.sk as string)));
  const missing = punches.map((p) => ({ ...staffKeys.punch(siteId, person.userId, p.at, p.shiftId, p.seq), ...p })).filter((item) => !stored.has(instantOf(item.sk)));
  await batchWrite(db, table, missing, 'punches');
  return missing.length;
}

/** Creates the person's profile with its pay-rates event, as PUT does; 0 when a profile is already there. */
async function seedProfile(db: DynamoDBDocumentClient, profiles: ProfileStore, profile: ProfileRecord, correlationId: string): Promise<number> {
  try {
    await profiles.put(profile, [payRatesChanged(profile, payRatesOf(profile, payrollPack(profile.payPack)), correlationId)], { send: (command) => db.send(command) });
    return 1;
  } catch (error) {
    if (error instanceof ConflictError) return 0;
    throw error;
  }
}

/** The demo profile of `person` as the seed stores it. */
const demoProfile = (siteId: string, person: DemoPerson, now: string): ProfileRecord => ({
  siteId,
  userId: person.userId,
  name: person.name,
  positions: person.positions,
  employment: person.employment,
  payPack: 'us.flsa@2026.1.0',
  version: 1,
  createdAt: now,
  updatedAt: now,
  updatedBy: 'demo-seed',
});

/**
 * What the staff domain would have published about the demo people over a longer past (the analytics demo
 * history, analytics-history.ts): their pay rates (the profiles' first version) and, per day, the clock-outs of the
 * same shifts the punch seed makes (same times, breaks and positions), so labour in analytics matches timesheets.
 */
export function demoStaffHistory(siteId: string, timeZone: string, staffMember: { userId: string; name: string }) {
  const people = demoPeople(staffMember);
  const now = new Date().toISOString();
  return {
    payRates: people.map((person) => {
      const profile = demoProfile(siteId, person, now);
      return { userId: person.userId, version: 1, ...payRatesOf(profile, payrollPack(profile.payPack)) };
    }),
    clockOuts: (date: string) =>
      people
        .filter((person) => person.pattern.days.includes(weekday(date)))
        .map((person) => {
          const punches = shiftPunches(siteId, timeZone, person, date);
          const at = (kind: string) => punches.filter((p) => p.kind === kind).map((p) => Date.parse(p.at));
          const [clockIn] = at('clock-in');
          const [clockOut] = at('clock-out');
          const breakSeconds = at('break-end').reduce((sum, end, i) => sum + (end - at('break-start')[i]!) / 1000, 0);
          return {
            shiftId: punches[0]!.shiftId,
            userId: person.userId,
            positionId: person.pattern.position,
            clockedInAt: new Date(clockIn!).toISOString(),
            localDate: date,
            clockedOutAt: new Date(clockOut!).toISOString(),
            breakSeconds,
            workedSeconds: (clockOut! - clockIn!) / 1000 - breakSeconds,
          };
        }),
  };
}

export async function seedStaffDemo(db: DynamoDBDocumentClient, stage: string, siteId: string, timeZone: string, staffMember: { userId: string; name: string }): Promise<number> {
  const table = `brigade-${stage}-staff`;
  const profiles = new ProfileStore(table, `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:brigade-${stage}-events`);
  const correlationId = `demo-seed-${randomUUID()}`;
  const now = new Date().toISOString();
  const people = demoPeople(staffMember);
  const counts = await Promise.all([
    seedSchedule(db, table, siteId, timeZone, people),
    ...people.map(async (person) => {
      const profile = demoProfile(siteId, person, now);
      const tabletOnly = person.userId !== staffMember.userId;
      const written = await Promise.all([
        seedProfile(db, profiles, profile, correlationId),
        tabletOnly ? putNew(db, table, { ...staffKeys.user(person.userId), userId: person.userId, name: person.name, role: 'staff', sites: [siteId], status: 'active', version: 1 }) : 0,
        seedPunches(db, table, siteId, timeZone, person),
      ]);
      return written.reduce((sum, n) => sum + n, 0);
    }),
  ]);
  return counts.reduce((sum, n) => sum + n, 0);
}
