import { advance, endExcursion, incidentIdOf, lateReadingsChangeNothing, settleLateWindow, type MonitorState, type TimedReading } from '../../functions/iot/excursion';

const MIN = 60_000;
const T0 = Date.parse('2026-11-25T10:00:00Z');
const fridge = { limits: { maxC: 5 }, gracePeriodMs: 15 * MIN, siteId: 's1', deviceId: 'walkin-1' };
/** One reading a minute from T0, at the given temperatures. */
const minutes = (temperatures: number[], from = 0): TimedReading[] => temperatures.map((temperatureC, i) => ({ t: T0 + (from + i) * MIN, temperatureC }));

describe('excursion state machine', () => {
  it('a door opening shorter than the grace period raises nothing and leaves no state behind', () => {
    const { state, events } = advance({}, minutes([3, 3, 7, 9, 8, 6, 4, 3]), fridge);
    expect(events).toEqual([]);
    expect(state).toEqual({ lastT: T0 + 7 * MIN, inRangeSince: T0 + 6 * MIN });
  });

  it('out of limits for the grace period opens one excursion, at the reading that reaches it', () => {
    const warmUp = [4, ...Array.from({ length: 20 }, (_, i) => 6 + i * 0.5)]; // out from minute 1
    const { state, events } = advance({}, minutes(warmUp), fridge);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'excursion-started',
      incidentId: incidentIdOf('s1', 'walkin-1', T0 + MIN),
      startedAt: T0 + MIN,
      detectedAt: T0 + 16 * MIN,
      severity: 'critical', // 13.5 °C at detection: 8.5 °C beyond the limit
    });
    expect(state.incident?.peakC).toBe(15.5);
  });

  it('exactly at the grace period counts; one minute less does not', () => {
    expect(advance({}, minutes([6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6]), fridge).events).toHaveLength(1); // 0 … 15 min
    expect(advance({}, minutes([6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6]), fridge).events).toHaveLength(0); // 0 … 14 min
  });

  it('back in range ends the excursion with its duration and peak', () => {
    const readings = minutes([...Array(20).fill(7), 9.5, 8, 4.5]);
    const { state, events } = advance({}, readings, fridge);
    expect(events.map((e) => e.kind)).toEqual(['excursion-started', 'excursion-ended']);
    expect(events[0]).toMatchObject({ severity: 'warning', peakC: 7 });
    expect(events[1]).toMatchObject({ kind: 'excursion-ended', startedAt: T0, endedAt: T0 + 22 * MIN, durationMs: 22 * MIN, peakC: 9.5 });
    expect(state).toEqual({ lastT: T0 + 22 * MIN, inRangeSince: T0 + 22 * MIN });
  });

  it('the same readings fed again (a QoS 1 redelivery, a retried batch) change nothing', () => {
    const readings = minutes(Array(20).fill(8));
    const first = advance({}, readings, fridge);
    const again = advance(first.state, readings, fridge);
    expect(again).toEqual({ state: first.state, events: [], evaluated: 0 });
  });

  it('works across batches, in device-time order within a batch', () => {
    let state: MonitorState = {};
    const events = [];
    for (const batch of [minutes([6, 6, 6], 0), minutes([6, 6, 6, 6, 6, 6, 6], 3).reverse(), minutes([6, 6, 6, 6, 6, 6], 10), minutes([2], 16)]) {
      const step = advance(state, batch, fridge);
      state = step.state;
      events.push(...step.events);
    }
    expect(events.map((e) => [e.kind, (e.kind === 'excursion-started' ? e.detectedAt : e.endedAt) - T0])).toEqual([
      ['excursion-started', 15 * MIN],
      ['excursion-ended', 16 * MIN],
    ]);
  });

  it('hot-holding is out of range below its minimum; the peak is the lowest value', () => {
    const hot = { ...fridge, limits: { minC: 63 } };
    const { events } = advance({}, minutes([70, 60, 58, 52, 55, ...Array(12).fill(59), 65]), hot);
    expect(events.map((e) => e.kind)).toEqual(['excursion-started', 'excursion-ended']);
    expect(events[0]).toMatchObject({ severity: 'critical', peakC: 52 });
    expect(events[1]).toMatchObject({ peakC: 52, durationMs: 16 * MIN });
  });

  it('ending an excursion outside the readings (decommissioning) ends it at that instant', () => {
    const { state } = advance({}, minutes(Array(17).fill(8)), fridge);
    const ended = endExcursion(state, T0 + 30 * MIN);
    expect(ended.event).toMatchObject({ kind: 'excursion-ended', durationMs: 30 * MIN, peakC: 8 });
    expect(ended.state).toEqual({ lastT: T0 + 16 * MIN });
    expect(endExcursion({ lastT: 1 }, T0)).toEqual({ state: { lastT: 1 } });
  });

  it('incident ids are deterministic per device and start, and sort by start time', () => {
    expect(incidentIdOf('s1', 'a', T0)).toBe(incidentIdOf('s1', 'a', T0));
    expect(incidentIdOf('s1', 'a', T0)).not.toBe(incidentIdOf('s1', 'b', T0));
    expect(incidentIdOf('s1', 'a', T0) < incidentIdOf('s1', 'a', T0 + 1)).toBe(true);
    expect(incidentIdOf('s1', 'a', T0)).toMatch(/^[a-z0-9]{9}-[0-9a-f]{8}$/);
  });

  describe('late readings (concurrent batches of a device reporting several times a second)', () => {
    // In range from minute 0 to 4, out at 5 and 6, back in range from 7 to 10.
    const { state } = advance({}, minutes([3, 3, 3, 3, 3, 6, 6, 3, 3, 3, 3]), fridge);
    const at = (minute: number, temperatureC: number): TimedReading => ({ t: T0 + minute * MIN, temperatureC });

    it('in range, inside the in-range run already evaluated: nothing changes, so no re-run is needed', () => {
      expect(state.inRangeSince).toBe(T0 + 7 * MIN);
      expect(lateReadingsChangeNothing(state, [at(7.5, 3), at(9.5, 4)], fridge.limits)).toBe(true);
      expect(lateReadingsChangeNothing(state, [at(8.5, 3), at(11, 9)], fridge.limits)).toBe(true); // the newer one advances as usual
    });

    it('out of range, or before the run began (it could split the out-of-range stretch), needs the stored timeline', () => {
      expect(lateReadingsChangeNothing(state, [at(8.5, 6)], fridge.limits)).toBe(false);
      expect(lateReadingsChangeNothing(state, [at(5.5, 3)], fridge.limits)).toBe(false);
      expect(lateReadingsChangeNothing(state, [at(6.5, 3), at(8.5, 3)], fridge.limits)).toBe(false);
    });

    it('while the unit is out of range or in an excursion, or the run is unknown (older state), it never applies', () => {
      const out = advance(state, [at(11, 7)], fridge).state;
      expect(out.inRangeSince).toBeUndefined();
      expect(lateReadingsChangeNothing(out, [at(10.5, 3)], fridge.limits)).toBe(false);
      const excursion = advance({}, minutes(Array(17).fill(8)), fridge).state;
      expect(lateReadingsChangeNothing(excursion, [at(3, 3)], fridge.limits)).toBe(false);
      expect(lateReadingsChangeNothing({ lastT: T0 + 10 * MIN }, [at(9, 3)], fridge.limits)).toBe(false);
    });

    it('the in-range run starts again after an out-of-range reading, at the next reading within limits', () => {
      const next = advance(state, [at(11, 7), at(12, 4), at(13, 3)], fridge).state;
      expect(next).toEqual({ lastT: T0 + 13 * MIN, inRangeSince: T0 + 12 * MIN });
    });
  });

  describe('late readings re-run over the first part of a timeline too long to re-run whole (a batch put back hours later)', () => {
    // Stored: in range at minutes 0–9, a gap at 10–40, in range again from 41 on; the live state has evaluated up to 500.
    const live: MonitorState = { lastT: T0 + 500 * MIN, inRangeSince: T0 + 41 * MIN };
    const at = (minute: number, temperatureC: number): TimedReading => ({ t: T0 + minute * MIN, temperatureC });
    const gap = Array.from({ length: 31 }, (_, i) => at(10 + i, i < 25 ? 9 : 4)); // 9 °C for 25 minutes, 4 °C from 35
    /** The stored timeline from minute 9 (the last in-range reading before the gap) up to `to`, the gap filled. */
    const windowTo = (to: number) => [at(9, 3), ...gap, ...Array.from({ length: to - 40 }, (_, i) => at(41 + i, 3.5))];

    it('the window holds the late readings and ends within limits: its excursion is opened and ended, the live state keeps its place', () => {
      const settled = settleLateWindow(live, windowTo(100), T0 + 40 * MIN, fridge);
      expect(settled?.events.map((e) => [e.kind, (e.startedAt - T0) / MIN])).toEqual([
        ['excursion-started', 10],
        ['excursion-ended', 10],
      ]);
      expect(settled?.events[1]).toMatchObject({ endedAt: T0 + 35 * MIN, durationMs: 25 * MIN, peakC: 9 });
      expect(settled?.state).toEqual(live);
    });

    it('an in-range run the live state began inside the window begins where the late readings leave it', () => {
      const early: MonitorState = { lastT: T0 + 500 * MIN, inRangeSince: T0 + 5 * MIN };
      expect(settleLateWindow(early, windowTo(100), T0 + 40 * MIN, fridge)?.state).toEqual({ lastT: T0 + 500 * MIN, inRangeSince: T0 + 35 * MIN });
      // In range throughout, late readings included: the run is kept as it was.
      const calm = [at(9, 3), ...gap.map((r) => ({ ...r, temperatureC: 3 })), at(41, 3)];
      expect(settleLateWindow(early, calm, T0 + 40 * MIN, fridge)).toEqual({ state: early, events: [], evaluated: 33 });
    });

    it('a window that stops before the last late reading, or out of limits, or in a run the live state holds, settles nothing', () => {
      expect(settleLateWindow(live, windowTo(100).slice(0, 20), T0 + 40 * MIN, fridge)).toBeUndefined();
      expect(settleLateWindow(live, [at(9, 3), ...gap.slice(0, 20)], T0 + 29 * MIN, fridge)).toBeUndefined(); // still at 9 °C
      expect(settleLateWindow({ lastT: T0 + 500 * MIN, outOfRangeSince: T0 + 60 * MIN }, windowTo(100), T0 + 40 * MIN, fridge)).toBeUndefined();
      expect(settleLateWindow({ lastT: T0 + 60 * MIN, inRangeSince: T0 + 41 * MIN }, windowTo(100), T0 + 40 * MIN, fridge)).toBeUndefined(); // the window goes past the live state
      expect(settleLateWindow(live, [], T0 + 40 * MIN, fridge)).toBeUndefined();
    });
  });
});
