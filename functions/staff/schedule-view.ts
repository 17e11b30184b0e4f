// The schedule of some days as each role sees it. Staff: the site's published shifts (a team roster: who works when
// as what), without wages, costs, flags or notes. Managers and owners: every shift, drafts included, with its flags,
// its planned hours and its labour cost, per day and in total, in minor units of the site's currency.
//
// Labour cost: planned minutes (span less the planned break) × the person's wage for the shift's position on its
// start day (profile-rules.ts wageOn), half-up; a monthly wage at the hourly rate payroll pays for it (schedule-rules.ts
// costOf: KR monthly ÷ 209 h at 40 h a week). Open shifts are costed at the highest per-hour rate any active
// profile of the site holds for the position that day (a budget ceiling: whoever claims it costs that or less);
// with nobody holding the position, they stay uncosted and are counted apart. Beside the shifts, each day the forecast
// domain suggested staffing for (forecast.staffing-suggested, learnt by learn-staffing-suggestions.ts) gets its
// `forecast`: suggested and scheduled people per hour and position, the forecast net sales and the day's labour % of
// them (forecast-beside-schedule.ts); `forecastSales` and `labourPercentOfForecastSales` sum the days that have one.
import type { Caller } from '#shared/identity';
import { directoryStore, profileStore, settingsStore, shiftStore, staffingSuggestionStore } from './config';
import { forecastOfDay } from './forecast-beside-schedule';
import { payrollPack } from './payroll-packs';
import { wageOn } from './profile-rules';
import { costOf, labourShareBps, plannedMinutes, workweekStart, type ShiftCost } from './schedule-rules';
import { planned } from './schedule';
import type { ProfileRecord } from './schemas';
import type { ShiftRecord } from './shift-store';

interface Totals {
  plannedMinutes: number;
  cost: number;
  openMinutes: number;
  openCost: number;
  /** Planned minutes nobody's wage covers (no wage that day, or an open shift nobody holds the position for). */
  uncostedMinutes: number;
}

const zero = (): Totals => ({ plannedMinutes: 0, cost: 0, openMinutes: 0, openCost: 0, uncostedMinutes: 0 });

async function profilesOf(siteId: string): Promise<Map<string, ProfileRecord>> {
  const profiles = new Map<string, ProfileRecord>();
  let cursor: string | undefined;
  do {
    const page = await profileStore.page(siteId, 100, cursor);
    for (const profile of page.profiles) profiles.set(profile.userId, profile);
    cursor = page.nextCursor;
  } while (cursor);
  return profiles;
}

/** The planned cost of a shift at its person's wage, or undefined without one that day. */
function personCost(shift: ShiftRecord, profile: ProfileRecord | undefined, minutes: number): ShiftCost | undefined {
  const wage = profile && wageOn(profile.positions.find((p) => p.positionId === shift.positionId)?.wages ?? [], shift.date);
  return wage && profile ? costOf(minutes, wage, profile.employment, payrollPack(profile.payPack)) : undefined;
}

/** The highest per-hour cost any active holder of the position has on the day: an open shift's budget ceiling. */
function openCost(shift: ShiftRecord, profiles: ReadonlyMap<string, ProfileRecord>, minutes: number): ShiftCost | undefined {
  let highest: ShiftCost | undefined;
  for (const profile of profiles.values()) {
    if (!profile.positions.some((p) => p.positionId === shift.positionId && p.active)) continue;
    const cost = personCost(shift, profile, minutes);
    if (cost && (!highest || cost.cost > highest.cost)) highest = cost;
  }
  return highest;
}

export async function scheduleView(caller: Caller, siteId: string, from: string, to: string) {
  const [timeZone, shifts, profiles, settings, suggestions] = await Promise.all([
    directoryStore.timeZoneOf(siteId),
    shiftStore.shiftsOn(siteId, from, to),
    profilesOf(siteId),
    settingsStore.get(siteId),
    caller.role === 'staff' ? [] : staffingSuggestionStore.daysOf(siteId, from, to),
  ]);
  const nameOf = (userId: string | undefined) => (userId ? profiles.get(userId)?.name : undefined);
  if (caller.role === 'staff') {
    const roster = shifts
      .filter((shift) => shift.status === 'published')
      .map(({ shiftId, date, start, end, positionId, userId, breakMinutes, status }) => ({ shiftId, date, start, end, positionId, ...(userId ? { userId, name: nameOf(userId) } : { open: true }), breakMinutes, status }));
    return { siteId, from, to, timeZone, shifts: roster };
  }

  const days = new Map<string, Totals>();
  const total = zero();
  const costed = shifts.map((shift) => {
    const minutes = plannedMinutes(planned(shift));
    const cost = shift.userId ? personCost(shift, profiles.get(shift.userId), minutes) : openCost(shift, profiles, minutes);
    const day = days.get(shift.date) ?? zero();
    for (const totals of [day, total]) {
      totals.plannedMinutes += minutes;
      if (!shift.userId) totals.openMinutes += minutes;
      if (!cost) totals.uncostedMinutes += minutes;
      else if (shift.userId) totals.cost += cost.cost;
      else totals.openCost += cost.cost;
    }
    days.set(shift.date, day);
    return { ...shift, ...(shift.userId ? { name: nameOf(shift.userId) } : { open: true }), plannedMinutes: minutes, labour: cost ?? null };
  });
  const currencies = [...new Set([...profiles.values()].map((profile) => payrollPack(profile.payPack).currency.code))];
  const currency = currencies.length === 1 ? (currencies[0] ?? null) : null;
  const weeks = await shiftStore.weeks(siteId, workweekStart(from, settings.workweekStartsOn), to);
  const floor = shifts.map((shift) => ({ positionId: shift.positionId, start: Date.parse(shift.start), end: Date.parse(shift.end) }));
  for (const { date } of suggestions) if (!days.has(date)) days.set(date, zero());
  const suggestionOf = new Map(suggestions.map((day) => [day.date, day]));
  const forecastDays = [...days]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, totals]) => {
      const suggestion = suggestionOf.get(date);
      const costComplete = totals.uncostedMinutes === 0;
      return { date, ...totals, ...(suggestion ? { forecast: forecastOfDay(suggestion, floor, timeZone, { cost: totals.cost + totals.openCost, costComplete, currency }) } : {}) };
    });
  const forecastCosts = forecastDays.filter((day) => day.forecast);
  const forecastSales = forecastCosts.length > 0 ? forecastCosts.reduce((sum, day) => sum + (day.forecast?.netSales ?? 0), 0) : null;
  const comparable = forecastCosts.every((day) => day.uncostedMinutes === 0 && (!day.forecast?.currency || !currency || day.forecast.currency === currency));
  return {
    siteId,
    from,
    to,
    timeZone,
    currency,
    shifts: costed,
    days: forecastDays,
    total,
    weeks,
    forecastSales,
    labourPercentOfForecastSales: comparable ? labourShareBps(forecastCosts.reduce((sum, day) => sum + day.cost + day.openCost, 0), forecastSales ?? undefined) : null,
  };
}
