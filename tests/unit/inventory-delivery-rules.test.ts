import { assessStock, nextDelivery, nextEpisode, type DeliverySchedule, type LowStockEpisode } from '../../functions/inventory/delivery-rules';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const produce: DeliverySchedule = { leadTimeDays: 1, deliveryWeekdays: ['mon', 'wed', 'fri'], orderCutOff: '14:00', deliveryTime: '07:00' };

function next(now: string, schedule: DeliverySchedule, timeZone: string) {
  const { orderBy, deliveryDate, arrivesAt } = nextDelivery(at(now), schedule, timeZone);
  return { orderBy: iso(orderBy), deliveryDate, arrivesAt: iso(arrivesAt) };
}

describe('the next delivery', () => {
  // Europe/Paris in late November is UTC+1; 2026-11-23 is a Monday.
  it.each([
    ['Monday 10:00, before the cut-off: placed Monday, delivered Wednesday', '2026-11-23T09:00:00Z', '2026-11-23T13:00:00.000Z', '2026-11-25'],
    ['Monday 15:00, after the cut-off: placed Tuesday, still Wednesday', '2026-11-23T14:00:00Z', '2026-11-24T13:00:00.000Z', '2026-11-25'],
    ['Tuesday 13:59: placed Tuesday, Wednesday', '2026-11-24T12:59:00Z', '2026-11-24T13:00:00.000Z', '2026-11-25'],
    ['Tuesday 14:00 sharp: placed Wednesday, Friday', '2026-11-24T13:00:00Z', '2026-11-25T13:00:00.000Z', '2026-11-27'],
    ['Friday 16:00: placed Saturday, earliest Sunday, Monday', '2026-11-27T15:00:00Z', '2026-11-28T13:00:00.000Z', '2026-11-30'],
  ])('%s', (_, now, orderBy, deliveryDate) => {
    expect(next(now, produce, 'Europe/Paris')).toEqual({ orderBy, deliveryDate, arrivesAt: `${deliveryDate}T06:00:00.000Z` });
  });

  it('counts the local day across midnight: 01:30 Wednesday in Seoul is still Tuesday in UTC', () => {
    const thursdays: DeliverySchedule = { leadTimeDays: 1, deliveryWeekdays: ['thu'], orderCutOff: '10:00', deliveryTime: '06:00' };
    expect(next('2026-11-24T16:30:00Z', thursdays, 'Asia/Seoul')).toEqual({
      orderBy: '2026-11-25T01:00:00.000Z',
      deliveryDate: '2026-11-26',
      arrivesAt: '2026-11-25T21:00:00.000Z',
    });
    // 22:00 Tuesday in New York is already Wednesday in UTC.
    expect(next('2026-11-25T03:00:00Z', { ...thursdays, orderCutOff: '23:00', leadTimeDays: 2 }, 'America/New_York')).toMatchObject({
      orderBy: '2026-11-25T04:00:00.000Z',
      deliveryDate: '2026-11-26',
    });
  });

  it('keeps the cut-off at local 14:00 across spring-forward (Paris, 2026-03-29)', () => {
    // Sunday 14:30 CEST is 12:30Z: a fixed +1 offset would wrongly say 13:30, before the cut-off.
    const daily: DeliverySchedule = { leadTimeDays: 1, deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], orderCutOff: '14:00', deliveryTime: '07:00' };
    expect(next('2026-03-29T12:30:00Z', daily, 'Europe/Paris')).toEqual({ orderBy: '2026-03-30T12:00:00.000Z', deliveryDate: '2026-03-31', arrivesAt: '2026-03-31T05:00:00.000Z' });
    expect(next('2026-03-28T12:30:00Z', daily, 'Europe/Paris')).toEqual({ orderBy: '2026-03-28T13:00:00.000Z', deliveryDate: '2026-03-29', arrivesAt: '2026-03-29T05:00:00.000Z' });
  });

  it('across fall-back (New York, 2026-11-01): the delivery hour is local', () => {
    const sundays: DeliverySchedule = { leadTimeDays: 0, deliveryWeekdays: ['sun'], orderCutOff: '20:00', deliveryTime: '09:00' };
    expect(next('2026-10-31T12:00:00Z', sundays, 'America/New_York')).toEqual({
      orderBy: '2026-11-01T00:00:00.000Z', // Saturday 20:00 EDT
      deliveryDate: '2026-11-01',
      arrivesAt: '2026-11-01T14:00:00.000Z', // Sunday 09:00 EST
    });
  });

  it('a cut-off in the hour spring-forward skips is the instant an hour later', () => {
    const early: DeliverySchedule = { leadTimeDays: 2, deliveryWeekdays: ['tue'], orderCutOff: '02:30', deliveryTime: '07:00' };
    expect(next('2026-03-29T00:20:00Z', early, 'Europe/Paris')).toMatchObject({ orderBy: '2026-03-29T01:30:00.000Z', deliveryDate: '2026-03-31' });
  });

  it('same-day suppliers: delivered today if ordered in time, never in the past', () => {
    const sameDay: DeliverySchedule = { leadTimeDays: 0, deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], orderCutOff: '10:00', deliveryTime: '16:00' };
    expect(next('2026-11-23T08:00:00Z', sameDay, 'Europe/Paris')).toMatchObject({ deliveryDate: '2026-11-23', arrivesAt: '2026-11-23T15:00:00.000Z' });
    expect(next('2026-11-23T10:00:00Z', sameDay, 'Europe/Paris')).toMatchObject({ deliveryDate: '2026-11-24' });
    // The van comes at 07:00, before the 10:00 cut-off: at 09:00 today's has left.
    expect(next('2026-11-23T08:00:00Z', { ...sameDay, deliveryTime: '07:00' }, 'Europe/Paris')).toMatchObject({ deliveryDate: '2026-11-24' });
  });

  it('long lead times and a single weekday', () => {
    expect(next('2026-11-23T09:00:00Z', { leadTimeDays: 14, deliveryWeekdays: ['thu'], orderCutOff: '12:00', deliveryTime: '08:00' }, 'UTC')).toMatchObject({
      deliveryDate: '2026-12-10',
    });
  });

  it('refuses a supplier that never delivers', () => {
    expect(() => nextDelivery(at('2026-11-23T09:00:00Z'), { ...produce, deliveryWeekdays: [] }, 'Europe/Paris')).toThrow(RangeError);
  });
});

describe('low stock: will on-hand last until the delivery?', () => {
  const now = at('2026-11-23T09:00:00Z');
  const usage = { depleted: 7_000_000, windowDays: 7 }; // 1 kg a day
  const arrivesAt = now + 36 * HOUR; // 1.5 kg needed

  it('is low below what usage needs until the delivery, not at exactly that', () => {
    expect(assessStock({ onHand: 1_499_999, reorderPoint: 0, usage, now, arrivesAt })).toMatchObject({ low: true, neededUntilDelivery: 1_500_000 });
    expect(assessStock({ onHand: 1_500_000, reorderPoint: 0, usage, now, arrivesAt }).low).toBe(false);
  });

  it('is low at or below the reorder point even without usage', () => {
    expect(assessStock({ onHand: 500, reorderPoint: 500, usage: { depleted: 0, windowDays: 7 }, now, arrivesAt })).toEqual({ low: true, neededUntilDelivery: 0 });
    expect(assessStock({ onHand: 501, reorderPoint: 500, usage: { depleted: 0, windowDays: 7 }, now, arrivesAt })).toEqual({ low: false, neededUntilDelivery: 0 });
  });

  it('says when it runs out at the usage rate, exactly', () => {
    expect(assessStock({ onHand: 500_000, reorderPoint: 0, usage, now, arrivesAt }).runsOutAt).toBe(now + 12 * HOUR);
    expect(assessStock({ onHand: 0, reorderPoint: -1, usage, now, arrivesAt }).runsOutAt).toBeUndefined();
  });

  it('rounds what is needed up, and takes net returns as no usage', () => {
    expect(assessStock({ onHand: 0, reorderPoint: -1, usage: { depleted: 1, windowDays: 7 }, now, arrivesAt: now + HOUR })).toMatchObject({ neededUntilDelivery: 1, low: true });
    expect(assessStock({ onHand: 1, reorderPoint: 0, usage: { depleted: -5_000, windowDays: 7 }, now, arrivesAt })).toEqual({ low: false, neededUntilDelivery: 0 });
  });

  it('is exact with large figures (no float drift)', () => {
    const big = { depleted: 9_999_999_999_999, windowDays: 30 };
    const needed = assessStock({ onHand: 0, reorderPoint: -1, usage: big, now, arrivesAt: now + 29 * DAY }).neededUntilDelivery;
    expect(BigInt(needed)).toBe((9_999_999_999_999n * 29n + 29n) / 30n);
  });

  it('refuses a usage window under a day', () => {
    expect(() => assessStock({ onHand: 1, reorderPoint: 0, usage: { depleted: 1, windowDays: 0 }, now, arrivesAt })).toThrow(RangeError);
  });
});

describe('a low-stock episode opens once and closes once', () => {
  it('transitions', () => {
    const now = at('2026-11-23T09:00:00Z');
    expect(nextEpisode(undefined, false, now)).toEqual({ state: { open: false, episode: 0 } });
    expect(nextEpisode(undefined, true, now)).toEqual({ state: { open: true, episode: 1, openedAt: now }, transition: 'opened' });
    const open: LowStockEpisode = { open: true, episode: 1, openedAt: now };
    expect(nextEpisode(open, true, now + 1)).toEqual({ state: open });
    expect(nextEpisode(open, false, now + 2)).toEqual({ state: { open: false, episode: 1 }, transition: 'closed' });
    expect(nextEpisode({ open: false, episode: 1 }, true, now + 3)).toEqual({ state: { open: true, episode: 2, openedAt: now + 3 }, transition: 'opened' });
  });

  it('a run of sales alerts once; a receipt closes it; the next run alerts again', () => {
    let state: LowStockEpisode | undefined;
    const transitions: string[] = [];
    for (const [i, low] of [false, true, true, true, false, false, true, true].entries()) {
      const next = nextEpisode(state, low, i);
      state = next.state;
      if (next.transition) transitions.push(`${next.transition}#${state.episode}`);
    }
    expect(transitions).toEqual(['opened#1', 'closed#1', 'opened#2']);
  });
});
