// The staff table, `brigade-<stage>-staff`, holds every aggregate of the domain, each behind its own store; this is
// the layout they share (docs/staff.md, "Table"). Ids in keys are [A-Za-z0-9_-] or site ids (schemas.ts), so `#`
// only ever separates.
//
//   SITES / SITE#{site}                          a site as the users domain published it: name, time zone, version
//                                                (directory-store.ts)
//   USER#{user} / USER                           a user as the users domain published it: name, role, sites, status,
//                                                version (directory-store.ts)
//   SITE#{site}#STAFF / PROFILE#{user}           a staff profile: positions with their effective-dated wages,
//                                                employment, pay rule pack, version (profile-store.ts)
//   SITE#{site}#STAFF / CLOCK#{user}             the person's time clock: off, working or on a break, the open shift,
//                                                version; one item, written on condition of the version read, so
//                                                two clock-ins cannot both open a shift (clock-store.ts)
//   SITE#{site}#PUNCHES#{user} / PUNCH#{at}#{shift}#{seq}
//                                                one raw punch, immutable (put only if absent); `at` is the UTC
//                                                instant, so a range of local days is one sort-key range
//   SITE#{site}#STAFF / SETTINGS                 the site's staff settings: pay period, workweek, rounding, early
//                                                clock-in window, auto-close, payroll facts (settings-store.ts)
//   SITE#{site}#SHIFTS / SHIFT#{date}#{shift}    a scheduled shift, draft or published; `date` is the site-local day
//                                                it starts, so a range of days is one sort-key range (shift-store.ts)
//   SITE#{site}#SCHEDULE / WEEK#{weekStart}      a schedule week: published version and when (shift-store.ts)
//   SITE#{site}#AVAILABILITY / USER#{user}       a person's recurring weekly availability (availability-store.ts)
//   SITE#{site}#TIMEOFF / TIMEOFF#{user}#{from}#{id}
//                                                a time-off request: pending, approved, declined (time-off-store.ts)
//   SITE#{site}#TIMEOFF / USER#{user}            the person's time-off guard: bumped with each request, so two
//                                                overlapping requests cannot both be filed (time-off-store.ts)
//   SITE#{site}#PUNCHES#{user} / EDIT#{edit}     a correction of punches: a new record with who and why, pending
//                                                until a manager approves it; raw punches stay (punch-edit-store.ts)
//   SITE#{site}#TIMESHEETS / PERIOD#{from}#{user}
//                                                one person's timesheet for a pay period: status, and once approved
//                                                the locked payroll input and result (timesheet-store.ts)
//   SITE#{site}#STAFFING / DAY#{date}            the forecast domain's suggested staffing of the day, the newest run's
//                                                (staffing-suggestion-store.ts)
//   SITE#{site}#OUTBOX#{eventId} / OUTBOX        an event not yet published (shared/outbox.ts)
//   IDEMPOTENCY#{scope}#{key} / IDEMPOTENCY      a punch's Idempotency-Key and its response (shared/idempotency.ts)
//   EVENT#{consumer}#{eventId} / RECEIPT         the SNS consumers' receipts (shared/sns-consumer.ts)

// A type, not an interface: it must fit the toolkit's `Key` (an index signature) for batch reads.
export type TableKey = { pk: string; sk: string };

const staffPk = (siteId: string) => `SITE#${siteId}#STAFF`;
const punchesPk = (siteId: string, userId: string) => `SITE#${siteId}#PUNCHES#${userId}`;
const shiftsPk = (siteId: string) => `SITE#${siteId}#SHIFTS`;
const schedulePk = (siteId: string) => `SITE#${siteId}#SCHEDULE`;
const availabilityPk = (siteId: string) => `SITE#${siteId}#AVAILABILITY`;
const timeOffPk = (siteId: string) => `SITE#${siteId}#TIMEOFF`;
const timesheetsPk = (siteId: string) => `SITE#${siteId}#TIMESHEETS`;

export const partitions = {
  staff: staffPk,
  punches: punchesPk,
  shifts: shiftsPk,
  schedule: schedulePk,
  availability: availabilityPk,
  timeOff: timeOffPk,
  timesheets: timesheetsPk,
};

export const staffKeys = {
  site: (siteId: string): TableKey => ({ pk: 'SITES', sk: `SITE#${siteId}` }),
  user: (userId: string): TableKey => ({ pk: `USER#${userId}`, sk: 'USER' }),
  profile: (siteId: string, userId: string): TableKey => ({ pk: staffPk(siteId), sk: `PROFILE#${userId}` }),
  clock: (siteId: string, userId: string): TableKey => ({ pk: staffPk(siteId), sk: `CLOCK#${userId}` }),
  punch: (siteId: string, userId: string, at: string, shiftId: string, seq: number): TableKey => ({
    pk: punchesPk(siteId, userId),
    sk: `PUNCH#${at}#${shiftId}#${String(seq).padStart(4, '0')}`,
  }),
  settings: (siteId: string): TableKey => ({ pk: staffPk(siteId), sk: 'SETTINGS' }),
  shift: (siteId: string, date: string, shiftId: string): TableKey => ({ pk: shiftsPk(siteId), sk: `SHIFT#${date}#${shiftId}` }),
  scheduleGuard: (siteId: string, userId: string): TableKey => ({ pk: shiftsPk(siteId), sk: `PERSON#${userId}` }),
  scheduleWeek: (siteId: string, weekStart: string): TableKey => ({ pk: schedulePk(siteId), sk: `WEEK#${weekStart}` }),
  availability: (siteId: string, userId: string): TableKey => ({ pk: availabilityPk(siteId), sk: `USER#${userId}` }),
  timeOff: (siteId: string, userId: string, from: string, requestId: string): TableKey => ({ pk: timeOffPk(siteId), sk: `TIMEOFF#${userId}#${from}#${requestId}` }),
  timeOffGuard: (siteId: string, userId: string): TableKey => ({ pk: timeOffPk(siteId), sk: `USER#${userId}` }),
  punchEdit: (siteId: string, userId: string, editId: string): TableKey => ({ pk: punchesPk(siteId, userId), sk: `EDIT#${editId}` }),
  timesheet: (siteId: string, periodFrom: string, userId: string): TableKey => ({ pk: timesheetsPk(siteId), sk: `PERIOD#${periodFrom}#${userId}` }),
};

/**
 * The condition of a put of an item at `version` (already the next one): absent when it is 1, else still at the
 * version before. How every versioned record of the domain is written.
 */
export function nextVersionCondition(version: number): { ConditionExpression: string; ExpressionAttributeValues?: Record<string, number> } {
  return version === 1 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': version - 1 } };
}

/** Begins-with prefixes of a site's staff partition. */
export const staffPrefixes = { profiles: 'PROFILE#', clocks: 'CLOCK#', shifts: 'SHIFT#', timeOff: 'TIMEOFF#', punchEdits: 'EDIT#', timesheets: 'PERIOD#' };
