// Timesheets' use cases: one person's pay period read from the records (raw punches + approved edits, the published
// schedule, approved leave, the profile, the site's settings), shown with its exceptions and the payroll preview;
// approved by a manager into a locked item that holds the exact engine input, the pinned pack and the result; and
// recomputed from that item alone to prove it reproducible; reopened by an owner with a reason. Staff see their own
// timesheet only (another person's is a 404); managers and owners every one of their sites'. A manager does not
// approve their own timesheet; an owner may.
import { ConflictError, ForbiddenError, HttpError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { localDateOf, localDayRange } from '#shared/time';
import { clockStore, directoryStore, profileStore, punchEditStore, settingsStore, shiftStore, timeOffStore, timesheetStore } from './config';
import { effectiveShifts } from './effective-shifts';
import { computePayroll, type PayrollResult } from './payroll-engine';
import { payrollInputFromRecords, workweeksAround } from './payroll-input-from-records';
import { payrollPack } from './payroll-packs';
import { rulePackDigest } from './payroll-pack-schema';
import { periodContaining, periodStartingOn, type PayPeriod } from './pay-period';
import { mayActFor } from './profiles';
import type { ProfileRecord, PunchRecord } from './schemas';
import { canonicalDigest } from './timesheet-digest';
import { timesheetView, whyNotApprovable, type TimesheetView } from './timesheet-rules';
import type { LockedTimesheet, Reopening, TimesheetItem } from './timesheet-store';

const notFound = () => new NotFoundError('Timesheet not found');
const PUNCH_PAGE = 1000;
/** Profiles computed at once when a manager lists a period: each is a handful of reads. */
const LIST_CONCURRENCY = 8;

export interface TimesheetAnswer {
  userId: string;
  name: string;
  status: 'open' | 'locked';
  period: PayPeriod;
  view: TimesheetView;
  payroll: PayrollResult;
  packRef: string;
  locked?: Pick<LockedTimesheet, 'lockedAt' | 'lockedBy' | 'inputDigest' | 'packDigest' | 'resultDigest'>;
  reopenings?: Reopening[];
}

async function allPunches(siteId: string, userId: string, start: string, end: string): Promise<PunchRecord[]> {
  const punches: PunchRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await clockStore.punches(siteId, userId, start, end, PUNCH_PAGE, cursor);
    punches.push(...page.punches);
    cursor = page.nextCursor;
  } while (cursor);
  return punches;
}

/** The period starting on `periodFrom` under the site's settings (422 naming periodFrom otherwise). */
export async function sitePeriod(siteId: string, periodFrom: string, field = 'periodFrom') {
  const settings = await settingsStore.get(siteId);
  return { settings, period: periodStartingOn(settings.payPeriod, periodFrom, field) };
}

/** The period holding the site's local today. */
async function currentPeriod(siteId: string) {
  const [settings, timeZone] = await Promise.all([settingsStore.get(siteId), directoryStore.timeZoneOf(siteId)]);
  return { settings, period: periodContaining(settings.payPeriod, localDateOf(Date.now(), timeZone)) };
}

/** The timesheet as the records make it now, and the engine input that goes with it. */
async function computeOpen(siteId: string, profile: ProfileRecord, period: PayPeriod, settings: Awaited<ReturnType<typeof settingsStore.get>>) {
  const { userId } = profile;
  const timeZone = await directoryStore.timeZoneOf(siteId);
  const weeks = workweeksAround(period, settings.workweekStartsOn);
  const [punches, edits, schedule, daysOff] = await Promise.all([
    // A shift of the last day may end the next morning: its punches are read up to that day's end.
    allPunches(siteId, userId, new Date(localDayRange(weeks.from, timeZone).start).toISOString(), new Date(localDayRange(weeks.to, timeZone).end + 86_400_000).toISOString()),
    punchEditStore.editsOf(siteId, userId, { consistent: true }),
    shiftStore.publishedShiftsOf(siteId, userId, weeks.from, weeks.to),
    timeOffStore.approvedDaysOff(siteId, userId, period.from, period.to),
  ]);
  const { shifts, open } = effectiveShifts(punches, edits, timeZone);
  const pack = payrollPack(profile.payPack);
  const input = payrollInputFromRecords({ period, timeZone, profile, pack, settings, shifts, schedule, daysOff });
  const payroll = computePayroll(pack, input);
  const view = timesheetView({
    period,
    timeZone,
    roundingMinutes: settings.roundingMinutes,
    shifts,
    open,
    schedule,
    pendingEdits: edits.filter((edit) => edit.status === 'pending'),
    daysOff,
    findings: payroll.findings,
    now: Date.now(),
  });
  return { view, payroll, input, pack };
}

function lockedAnswer(profile: ProfileRecord, item: LockedTimesheet): TimesheetAnswer {
  const { lockedAt, lockedBy, inputDigest, packDigest, resultDigest } = item;
  return {
    userId: profile.userId,
    name: profile.name,
    status: 'locked',
    period: { from: item.periodFrom, to: item.periodTo },
    view: item.view,
    payroll: item.result,
    packRef: item.packRef,
    locked: { lockedAt, lockedBy, inputDigest, packDigest, resultDigest },
    ...(item.reopenings ? { reopenings: item.reopenings } : {}),
  };
}

async function answerFor(siteId: string, profile: ProfileRecord, period: PayPeriod, settings: Awaited<ReturnType<typeof settingsStore.get>>, item: TimesheetItem | undefined): Promise<TimesheetAnswer> {
  if (item?.status === 'locked') return lockedAnswer(profile, item);
  const { view, payroll } = await computeOpen(siteId, profile, period, settings);
  return { userId: profile.userId, name: profile.name, status: 'open', period, view, payroll, packRef: profile.payPack, ...(item?.reopenings ? { reopenings: item.reopenings } : {}) };
}

async function visibleProfile(caller: Caller, siteId: string, userId: string): Promise<ProfileRecord> {
  if (!mayActFor(caller, userId)) throw notFound();
  const profile = await profileStore.get(siteId, userId);
  if (!profile) throw notFound();
  return profile;
}

export async function getTimesheet(caller: Caller, siteId: string, periodFrom: string, userId: string): Promise<TimesheetAnswer> {
  const profile = await visibleProfile(caller, siteId, userId);
  // A locked period stays readable even after the site changed how its periods run.
  const item = await timesheetStore.get(siteId, periodFrom, userId);
  if (item?.status === 'locked') return lockedAnswer(profile, item);
  const { settings, period } = await sitePeriod(siteId, periodFrom);
  return answerFor(siteId, profile, period, settings, item);
}

/** The person's locked timesheet of the period starting on `periodFrom`: 409 when it is not locked (422 not a period). */
export async function lockedTimesheet(siteId: string, periodFrom: string, userId: string, what: string): Promise<LockedTimesheet> {
  const item = await timesheetStore.get(siteId, periodFrom, userId);
  if (item?.status === 'locked') return item;
  await sitePeriod(siteId, periodFrom);
  throw new ConflictError(`The timesheet of this period is not approved yet: ${what}`);
}

/** Every staff profile of the site, all pages. */
export async function allProfiles(siteId: string): Promise<ProfileRecord[]> {
  const profiles: ProfileRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await profileStore.page(siteId, 100, cursor);
    profiles.push(...page.profiles);
    cursor = page.nextCursor;
  } while (cursor);
  return profiles;
}

/** One person's answer, or why the records cannot be paid yet (a pack that does not cover the period, a KR site
 * without its headcount status…): one person's 422 does not hide everyone else's timesheet. */
async function answerOrWhyNot(...args: Parameters<typeof answerFor>): Promise<TimesheetAnswer | { userId: string; name: string; status: 'open'; error: unknown }> {
  try {
    return await answerFor(...args);
  } catch (error) {
    if (!(error instanceof HttpError) || error.statusCode >= 500) throw error;
    const [, profile] = args;
    return { userId: profile.userId, name: profile.name, status: 'open', error: error.toJSON().error };
  }
}

/** The period's timesheets: every profile of the site for managers and owners, the caller's own for staff. */
export async function listTimesheets(caller: Caller, siteId: string, periodFrom: string | undefined) {
  const { settings, period } = periodFrom ? await sitePeriod(siteId, periodFrom, 'period') : await currentPeriod(siteId);
  const profiles = caller.role === 'staff' ? [await profileStore.get(siteId, caller.userId)].filter((p): p is ProfileRecord => p !== undefined) : await allProfiles(siteId);
  const items = new Map((await timesheetStore.ofPeriod(siteId, period.from)).map((item) => [item.userId, item]));
  const timesheets: Array<Record<string, unknown>> = [];
  for (let i = 0; i < profiles.length; i += LIST_CONCURRENCY) {
    const answers = await Promise.all(profiles.slice(i, i + LIST_CONCURRENCY).map((profile) => answerOrWhyNot(siteId, profile, period, settings, items.get(profile.userId))));
    timesheets.push(
      ...answers.map((answer) => ('error' in answer ? answer : {
        userId: answer.userId,
        name: answer.name,
        status: answer.status,
        totals: answer.view.totals,
        exceptions: answer.view.exceptions.length,
        pay: { currency: answer.payroll.currency, amount: answer.payroll.totals.amount },
        ...(answer.locked ? { lockedAt: answer.locked.lockedAt, lockedBy: answer.locked.lockedBy } : {}),
      })),
    );
  }
  return { period, timesheets };
}

/** Locks the period for the person: refused while edits wait or they are on the clock in it, or when locked. */
export async function approveTimesheet(caller: Caller, siteId: string, periodFrom: string, userId: string): Promise<TimesheetAnswer> {
  if (caller.role !== 'owner' && caller.userId === userId) throw new ForbiddenError('A manager does not approve their own timesheet: another manager or an owner does');
  const profile = await visibleProfile(caller, siteId, userId);
  const { settings, period } = await sitePeriod(siteId, periodFrom);
  const read = await timesheetStore.get(siteId, period.from, userId);
  if (read?.status === 'locked') throw new ConflictError('The timesheet is already approved and locked', { lockedAt: read.lockedAt, lockedBy: read.lockedBy });
  const { view, payroll, input, pack } = await computeOpen(siteId, profile, period, settings);
  const refusal = whyNotApprovable(view);
  if (refusal) throw new ConflictError(`Cannot approve yet: ${refusal}`, { exceptions: view.exceptions.filter((e) => e.kind === 'pending-edit' || e.kind === 'open-shift') });
  const locked: LockedTimesheet = {
    siteId,
    userId,
    periodFrom: period.from,
    periodTo: period.to,
    status: 'locked',
    editsApproved: read?.editsApproved ?? 0,
    lockedAt: new Date().toISOString(),
    lockedBy: caller.userId,
    input,
    inputDigest: canonicalDigest(input),
    packRef: profile.payPack,
    packDigest: rulePackDigest(pack),
    result: payroll,
    resultDigest: canonicalDigest(payroll),
    view,
    ...(read?.reopenings ? { reopenings: read.reopenings } : {}),
  };
  await timesheetStore.lock(locked, read);
  return lockedAnswer(profile, locked);
}

/** Recomputes a locked period from its stored input under its pinned pack: the same result, or what differs. */
export async function recomputeTimesheet(caller: Caller, siteId: string, periodFrom: string, userId: string) {
  await visibleProfile(caller, siteId, userId);
  const item = await lockedTimesheet(siteId, periodFrom, userId, 'only a locked period is recomputed from its stored input');
  const pack = payrollPack(item.packRef);
  const packDigest = rulePackDigest(pack);
  const result = computePayroll(pack, item.input);
  const resultDigest = canonicalDigest(result);
  const identical = resultDigest === item.resultDigest && packDigest === item.packDigest && canonicalDigest(item.input) === item.inputDigest;
  return {
    identical,
    packRef: item.packRef,
    stored: { inputDigest: item.inputDigest, packDigest: item.packDigest, resultDigest: item.resultDigest, amount: item.result.totals.amount },
    recomputed: { inputDigest: canonicalDigest(item.input), packDigest, resultDigest, amount: result.totals.amount },
  };
}

/** An owner opens a locked period again, with a reason kept on the item with what had been locked. */
export async function reopenTimesheet(caller: Caller, siteId: string, periodFrom: string, userId: string, reason: string) {
  const profile = await visibleProfile(caller, siteId, userId);
  const locked = await lockedTimesheet(siteId, periodFrom, userId, 'only a locked period is reopened');
  const { lockedAt, lockedBy, packRef, inputDigest, resultDigest } = locked;
  const guard = await timesheetStore.reopen(locked, {
    reopenedAt: new Date().toISOString(),
    reopenedBy: caller.userId,
    reason,
    locked: { lockedAt, lockedBy, packRef, inputDigest, resultDigest, amount: locked.result.totals.amount, currency: locked.result.currency },
  });
  return { userId, name: profile.name, status: guard.status, period: { from: guard.periodFrom, to: guard.periodTo }, reopenings: guard.reopenings };
}
