// What each kind of unit may be set to: default food-safety limits, how far a site may move them, and which
// setpoints and modes a manager may command. Pure rules, unit-tested without AWS.

export const DEVICE_TYPES = ['fridge', 'freezer', 'hot-holding', 'oven', 'fryer', 'ambient'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** A unit is in range when minC ≤ t ≤ maxC; a missing bound does not constrain. */
export interface Limits {
  minC?: number;
  maxC?: number;
}

export interface DeviceCommand {
  setpointC?: number;
  mode?: string;
}

interface TypeRules {
  defaultLimits: Limits;
  /** Where a site may move the limits to: beyond this a "limit" no longer protects food. */
  limitRange: { minC: number; maxC: number };
  /** Setpoints a manager may command; absent when the unit takes no setpoint. */
  setpointRange?: { minC: number; maxC: number };
  modes: readonly string[];
}

export const TYPE_RULES: Record<DeviceType, TypeRules> = {
  // Chilled food at or below 5 °C, frozen at or below −18 °C, hot-held at or above 63 °C (FSA / Codex guidance).
  fridge: { defaultLimits: { maxC: 5 }, limitRange: { minC: -5, maxC: 8 }, setpointRange: { minC: 0, maxC: 5 }, modes: ['normal', 'defrost', 'eco'] },
  freezer: { defaultLimits: { maxC: -18 }, limitRange: { minC: -40, maxC: -12 }, setpointRange: { minC: -30, maxC: -18 }, modes: ['normal', 'defrost'] },
  'hot-holding': { defaultLimits: { minC: 63 }, limitRange: { minC: 55, maxC: 100 }, setpointRange: { minC: 63, maxC: 90 }, modes: ['normal', 'standby'] },
  // Equipment limits rather than food limits: an oven or fryer running away is a fire and quality risk.
  oven: { defaultLimits: { maxC: 300 }, limitRange: { minC: 50, maxC: 350 }, setpointRange: { minC: 50, maxC: 300 }, modes: ['normal', 'standby'] },
  fryer: { defaultLimits: { maxC: 190 }, limitRange: { minC: 100, maxC: 230 }, setpointRange: { minC: 120, maxC: 190 }, modes: ['normal', 'standby'] },
  // Dry stores: a sensor, nothing to command.
  ambient: { defaultLimits: { maxC: 25 }, limitRange: { minC: -10, maxC: 40 }, modes: [] },
};

export const GRACE_PERIOD_MINUTES = { default: 15, min: 1, max: 240 };
export const REPORTING_INTERVAL_SECONDS = { default: 60, min: 5, max: 3600 };
/** A device is silent after this many reporting intervals without a reading. */
export const SILENT_AFTER_INTERVALS = 3;
export const LOW_BATTERY_PCT = 20;

export function defaultLimits(type: DeviceType): Limits {
  return { ...TYPE_RULES[type].defaultLimits };
}

/** "a fridge", "an oven". */
const aUnit = (type: DeviceType) => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;

/** Why these limits are not acceptable for this type; empty when they are. */
export function limitProblems(type: DeviceType, limits: Limits): string[] {
  const range = TYPE_RULES[type].limitRange;
  const problems: string[] = [];
  if (limits.minC === undefined && limits.maxC === undefined) problems.push('give minC, maxC or both');
  for (const key of ['minC', 'maxC'] as const) {
    const value = limits[key];
    if (value !== undefined && (value < range.minC || value > range.maxC)) {
      problems.push(`${key} of ${aUnit(type)} must be between ${range.minC} and ${range.maxC} °C`);
    }
  }
  if (limits.minC !== undefined && limits.maxC !== undefined && limits.minC >= limits.maxC) problems.push('minC must be below maxC');
  return problems;
}

/** Why this command may not be sent to this unit; empty when it may. */
export function commandProblems(type: DeviceType, limits: Limits, command: DeviceCommand): string[] {
  const rules = TYPE_RULES[type];
  const problems: string[] = [];
  if (command.setpointC !== undefined) {
    const range = rules.setpointRange;
    if (!range) problems.push(`${aUnit(type)} takes no setpoint`);
    else if (command.setpointC < range.minC || command.setpointC > range.maxC) {
      problems.push(`setpointC of ${aUnit(type)} must be between ${range.minC} and ${range.maxC} °C`);
    } else if ((limits.maxC !== undefined && command.setpointC > limits.maxC) || (limits.minC !== undefined && command.setpointC < limits.minC)) {
      // A setpoint outside the unit's own limits would put it into an excursion on purpose.
      problems.push(`setpointC must lie within the unit's limits (${describeLimits(limits)})`);
    }
  }
  if (command.mode !== undefined && !rules.modes.includes(command.mode)) {
    problems.push(rules.modes.length === 0 ? `${aUnit(type)} takes no mode` : `mode of ${aUnit(type)} must be one of ${rules.modes.join(', ')}`);
  }
  return problems;
}

export function isInRange(limits: Limits, temperatureC: number): boolean {
  return (limits.minC === undefined || temperatureC >= limits.minC) && (limits.maxC === undefined || temperatureC <= limits.maxC);
}

/** How far beyond its limits a temperature is, in °C; 0 when in range. */
export function deviationC(limits: Limits, temperatureC: number): number {
  if (limits.maxC !== undefined && temperatureC > limits.maxC) return temperatureC - limits.maxC;
  if (limits.minC !== undefined && temperatureC < limits.minC) return limits.minC - temperatureC;
  return 0;
}

export function describeLimits(limits: Limits): string {
  if (limits.minC !== undefined && limits.maxC !== undefined) return `${limits.minC} to ${limits.maxC} °C`;
  return limits.maxC !== undefined ? `≤ ${limits.maxC} °C` : `≥ ${limits.minC} °C`;
}
