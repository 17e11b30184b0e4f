import { commandProblems, defaultLimits, deviationC, isInRange, limitProblems } from '../../functions/iot/device-types';

describe('device types', () => {
  it('defaults: fridge ≤ 5 °C, freezer ≤ −18 °C, hot-holding ≥ 63 °C', () => {
    expect(defaultLimits('fridge')).toEqual({ maxC: 5 });
    expect(defaultLimits('freezer')).toEqual({ maxC: -18 });
    expect(defaultLimits('hot-holding')).toEqual({ minC: 63 });
  });

  it('limits may move only within the type’s sane range', () => {
    expect(limitProblems('fridge', { minC: 0, maxC: 4 })).toEqual([]);
    expect(limitProblems('fridge', { maxC: 12 })).toEqual(['maxC of a fridge must be between -5 and 8 °C']);
    expect(limitProblems('freezer', { maxC: -5 })).toHaveLength(1);
    expect(limitProblems('hot-holding', { minC: 40 })).toHaveLength(1);
    expect(limitProblems('fridge', { minC: 4, maxC: 2 })).toEqual(['minC must be below maxC']);
    expect(limitProblems('fridge', {})).toEqual(['give minC, maxC or both']);
  });

  it('commands: setpoints within the type’s range and the unit’s own limits, modes the type knows', () => {
    expect(commandProblems('fridge', { maxC: 5 }, { setpointC: 3, mode: 'defrost' })).toEqual([]);
    expect(commandProblems('fridge', { maxC: 5 }, { setpointC: 12 })).toEqual(['setpointC of a fridge must be between 0 and 5 °C']);
    expect(commandProblems('fridge', { maxC: 4 }, { setpointC: 5 })).toEqual(['setpointC must lie within the unit\'s limits (≤ 4 °C)']);
    expect(commandProblems('freezer', { maxC: -18 }, { setpointC: -40 })).toHaveLength(1);
    expect(commandProblems('fridge', { maxC: 5 }, { mode: 'turbo' })).toEqual(['mode of a fridge must be one of normal, defrost, eco']);
    expect(commandProblems('ambient', { maxC: 25 }, { setpointC: 20, mode: 'normal' })).toEqual(['an ambient takes no setpoint', 'an ambient takes no mode']);
  });

  it('range and deviation', () => {
    expect(isInRange({ maxC: 5 }, 5)).toBe(true);
    expect(isInRange({ maxC: 5 }, 5.1)).toBe(false);
    expect(isInRange({ minC: 63 }, 62.9)).toBe(false);
    expect(deviationC({ maxC: 5 }, 8)).toBe(3);
    expect(deviationC({ minC: 63 }, 60)).toBe(3);
    expect(deviationC({ minC: 0, maxC: 5 }, 2)).toBe(0);
  });
});
