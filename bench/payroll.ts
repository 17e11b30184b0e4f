// The payroll engine's cost (functions/staff/payroll-engine.ts computePayroll, pure, no stack): 100 generated staff
// per pack (Korea 2026, US-FLSA 2026, California 2026), each with a month of realistic punches (day, evening and
// night shifts across midnight, meal breaks and California rests, overtime days, a raise in mid-month for some,
// tipped servers on FLSA, the schedule the punches followed), computed for the month of November 2026 (six
// workweeks touched) and, side by side in the same rounds, for one week of the same people: the baseline, so the
// month's figure is also a ratio that the machine's load cancels out of. Times are per person-period (one
// computePayroll call, input validation included) and per run of the 100.
import type { PayrollInputData } from '../functions/staff/payroll-input-schema';
import { computePayroll } from '../functions/staff/payroll-engine';
import { payrollPack } from '../functions/staff/payroll-packs';
import { addDays, zonedTimeToInstant } from '../functions/shared/time';
import { runBench } from './support/harness';
import { median, percentile, printResult, printTable, round } from './support/stats';

const STAFF = 100;
const ROUNDS = 5;
const MONTH = { from: '2026-11-01', to: '2026-11-30' };
const WEEK = { from: '2026-11-09', to: '2026-11-15' };
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const MINUTE = 60_000;

interface Site {
  pack: string;
  timeZone: string;
  /** The range of base hourly rates, minor units. */
  rate: [number, number];
  workplace: PayrollInputData['workplace'];
}

const SITES: Site[] = [
  { pack: 'kr.lsa@2026.1.0', timeZone: 'Asia/Seoul', rate: [10_320, 14_000], workplace: { regularHeadcount: [{ from: '2026-01-01', status: 'ge5' }] } },
  { pack: 'us.flsa@2026.1.0', timeZone: 'America/New_York', rate: [1_500, 2_600], workplace: { workweekStartsOn: 'sunday', publicHolidays: ['2026-11-26'] } },
  { pack: 'us.ca@2026.1.0', timeZone: 'America/Los_Angeles', rate: [1_700, 2_800], workplace: { workweekStartsOn: 'sunday', publicHolidays: ['2026-11-26'] } },
];

/** A small deterministic generator (mulberry32): the same people on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), chance: (p: number) => next() < p };
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** One person's month: contract, wages and every shift worked from the first workweek touched to the last. */
function person(site: Site, index: number) {
  const rng = random(index * 7919 + site.pack.length);
  const fullTime = rng.chance(0.6);
  const workdays: Array<(typeof WEEKDAYS)[number]> = fullTime ? ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] : ['wednesday', 'thursday', 'friday', 'saturday'].slice(0, rng.int(3, 4)) as Array<(typeof WEEKDAYS)[number]>;
  const daily = fullTime ? 480 : rng.int(4, 6) * 60;
  // Day, evening, or a night shift that crosses midnight.
  const start = [rng.int(8, 11) * 60, rng.int(15, 17) * 60, 21 * 60 + 30][rng.int(0, fullTime ? 1 : 2)]!;
  const tipped = site.pack.startsWith('us.flsa') && !fullTime && rng.chance(0.5);
  const base = rng.int(site.rate[0], site.rate[1]);
  const position = tipped ? 'server' : fullTime ? 'line-cook' : 'dishwasher';
  const wages = tipped
    ? [{ position, effectiveFrom: '2026-01-01', hourlyRate: 213, tipped: true }]
    : [{ position, effectiveFrom: '2026-01-01', hourlyRate: base }, ...(rng.chance(0.2) ? [{ position, effectiveFrom: '2026-11-16', hourlyRate: base + 100 }] : [])];
  const days: Array<{ date: string; clockIn: number; clockOut: number; breaks: Array<{ start: number; end: number; paid?: boolean }>; planned: [number, number] }> = [];
  for (let date = '2026-10-25'; date <= '2026-12-05'; date = addDays(date, 1)) {
    const weekday = WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
    // Now and then a day off missed, or an extra day picked up.
    if (!workdays.includes(weekday) ? !rng.chance(0.08) : rng.chance(0.05)) continue;
    const planned = zonedTimeToInstant(date, hhmm(start), site.timeZone);
    const clockIn = planned + rng.int(-8, 6) * MINUTE;
    // Usually on time, sometimes kept late: the overtime days.
    const clockOut = planned + (daily + (rng.chance(0.25) ? rng.int(30, 180) : rng.int(-10, 15))) * MINUTE;
    const breaks: Array<{ start: number; end: number; paid?: boolean }> = [];
    if (clockOut - clockIn > 5 * 60 * MINUTE && !rng.chance(0.1)) {
      const meal = clockIn + rng.int(150, Math.max(150, (clockOut - clockIn) / MINUTE - 90)) * MINUTE;
      breaks.push({ start: meal, end: meal + (rng.chance(0.8) ? 30 : 60) * MINUTE });
    }
    if (site.pack.startsWith('us.ca')) {
      const rest = clockIn + rng.int(90, 120) * MINUTE;
      breaks.push({ start: rest, end: rest + 10 * MINUTE, paid: true });
    }
    days.push({ date, clockIn, clockOut, breaks, planned: [planned, planned + daily * MINUTE] });
  }
  return {
    contract: { employment: fullTime ? ('full_time' as const) : ('part_time' as const), weeklyMinutes: daily * workdays.length, dailyMinutes: daily, workdays, weeklyRestDay: 'sunday' as const, position },
    wages,
    tipped,
    days,
  };
}

/**
 * The engine's input for `period`: the punches from a week before it to a week after, what a timesheet loads so that
 * every workweek the period touches is whole (weekly overtime needs them); the engine keeps the ones it needs.
 */
function inputOf(site: Site, who: ReturnType<typeof person>, period: { from: string; to: string }): PayrollInputData {
  const from = addDays(period.from, -7);
  const to = addDays(period.to, 7);
  const days = who.days.filter((day) => day.date >= from && day.date <= to);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    period,
    timeZone: site.timeZone,
    punches: days.map((day) => ({ id: `p-${day.date}`, clockIn: iso(day.clockIn), clockOut: iso(day.clockOut), breaks: day.breaks.map((b) => ({ start: iso(b.start), end: iso(b.end), paid: b.paid ?? false })) })),
    schedule: days.map((day) => ({ id: `s-${day.date}`, start: iso(day.planned[0]), end: iso(day.planned[1]) })),
    contract: who.contract,
    wages: who.wages,
    workplace: site.workplace,
    ...(who.tipped ? { earnings: { tips: days.map((day) => ({ date: day.date, amount: 9_000 })) } } : {}),
    policy: { tipCreditNoticeGiven: true, minRestMinutes: 600 },
  };
}

runBench('Brigade bench: payroll engine, 100 staff × one month per pack, one week side by side', 10 * 60_000, async () => {
  const rows: Array<Array<string | number>> = [];
  const result: Record<string, unknown> = {};
  for (const site of SITES) {
    const pack = payrollPack(site.pack);
    const people = Array.from({ length: STAFF }, (_, i) => person(site, i));
    const inputs = { month: people.map((who) => inputOf(site, who, MONTH)), week: people.map((who) => inputOf(site, who, WEEK)) };
    const perPerson = { month: [] as number[], week: [] as number[] };
    const perRun = { month: [] as number[], week: [] as number[] };
    let gross = 0;
    // One unmeasured round of each warms the JIT; then the two alternate, so both see the same load.
    for (let round = -1; round < ROUNDS; round++) {
      for (const kind of ['month', 'week'] as const) {
        const runStart = performance.now();
        for (const input of inputs[kind]) {
          const start = performance.now();
          const computed = computePayroll(pack, input);
          if (round >= 0) perPerson[kind].push(performance.now() - start);
          if (round === 0 && kind === 'month') gross += computed.totals.amount;
        }
        if (round >= 0) perRun[kind].push(performance.now() - runStart);
      }
    }
    const punches = (kind: 'month' | 'week') => median(inputs[kind].map((input) => input.punches.length));
    const stats = (kind: 'month' | 'week') => {
      const sorted = [...perPerson[kind]].sort((a, b) => a - b);
      return { medianMs: round(median(sorted), 2), p95Ms: round(percentile(sorted, 95), 2), runOf100Ms: round(median(perRun[kind]), 0), punchesPerPerson: punches(kind) };
    };
    const month = stats('month');
    const week = stats('week');
    rows.push([site.pack, 'month', month.punchesPerPerson, month.medianMs, month.p95Ms, month.runOf100Ms], [site.pack, 'week', week.punchesPerPerson, week.medianMs, week.p95Ms, week.runOf100Ms]);
    result[site.pack] = { month, week, monthToWeek: round(month.medianMs / week.medianMs, 2), grossMonthOf100: gross };
  }
  console.log(`${STAFF} staff per pack, ${ROUNDS} rounds, month ${MONTH.from}..${MONTH.to} vs week ${WEEK.from}..${WEEK.to} (punches of every workweek touched)\n`);
  printTable(['pack', 'period', 'punches/person', 'median ms/person', 'p95 ms/person', 'run of 100 ms (median)'], rows, 2);
  console.log('');
  printTable(
    ['pack', 'month ÷ week (median per person)', 'gross of the 100 for the month (minor units)'],
    Object.entries(result).map(([ref, r]) => [ref, (r as { monthToWeek: number }).monthToWeek, (r as { grossMonthOf100: number }).grossMonthOf100]),
  );
  printResult(result);
});
