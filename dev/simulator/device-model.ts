// A refrigeration or cooking unit's temperature, good enough to exercise monitoring: it settles towards a target
// (its setpoint when working, the room when the door is open or the compressor has failed) with a time constant,
// follows a daily pattern (doors open more often during service, ovens and fryers run during service), and has
// sensor noise. Faults: a door left open, a compressor (or heater) failure with a slow drift, a silent sensor, a
// draining battery. Deterministic for a given seed, so tests can replay it.
import type { DeviceType } from '../../functions/iot/device-types';

export type Fault = 'door-open' | 'compressor' | 'silent' | 'battery';
export const FAULTS: readonly Fault[] = ['door-open', 'compressor', 'silent', 'battery'];

export interface SimReading {
  t: number;
  temperatureC: number;
  doorOpen: boolean;
  batteryPct: number;
}

export interface ControlState {
  setpointC?: number;
  mode: string;
}

interface Profile {
  setpointC: number;
  /** Minutes to close ~63 % of the gap to the target when working normally. */
  tauMinutes: number;
  /** Where the unit drifts when it stops working (door, failure): the room, or the kitchen for hot units. */
  roomC: number;
  /** Minutes to drift ~63 % of the way to the room after a failure: slow, as a real warm-up is. */
  failureTauMinutes: number;
  doorTauMinutes: number;
  /** Ovens and fryers run during service only; otherwise they sit at room temperature. */
  serviceOnly?: boolean;
  hasDoor: boolean;
}

const PROFILES: Record<DeviceType, Profile> = {
  fridge: { setpointC: 3, tauMinutes: 8, roomC: 22, failureTauMinutes: 90, doorTauMinutes: 25, hasDoor: true },
  freezer: { setpointC: -20, tauMinutes: 12, roomC: 22, failureTauMinutes: 180, doorTauMinutes: 30, hasDoor: true },
  'hot-holding': { setpointC: 72, tauMinutes: 10, roomC: 24, failureTauMinutes: 60, doorTauMinutes: 20, hasDoor: true },
  oven: { setpointC: 180, tauMinutes: 6, roomC: 24, failureTauMinutes: 20, doorTauMinutes: 4, serviceOnly: true, hasDoor: true },
  fryer: { setpointC: 175, tauMinutes: 5, roomC: 24, failureTauMinutes: 15, doorTauMinutes: 60, serviceOnly: true, hasDoor: false },
  ambient: { setpointC: 19, tauMinutes: 60, roomC: 19, failureTauMinutes: 60, doorTauMinutes: 60, hasDoor: false },
};

/** Lunch and dinner service (device-local hours, taken as UTC here): more door openings, hot units on. */
export const inService = (t: number) => {
  const hour = new Date(t).getUTCHours();
  return (hour >= 11 && hour < 14) || (hour >= 18 && hour < 22);
};

/** mulberry32: a small seeded PRNG. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class DeviceModel {
  readonly control: ControlState;
  private temperatureC: number;
  private batteryPct = 96;
  private lastT: number;
  private doorOpenUntil = 0;
  private readonly faults = new Set<Fault>();
  private readonly rand: () => number;
  private readonly profile: Profile;

  constructor(
    readonly type: DeviceType,
    start: number,
    seed = 1,
  ) {
    this.profile = PROFILES[type];
    this.rand = random(seed);
    this.control = { ...(type === 'ambient' ? {} : { setpointC: this.profile.setpointC }), mode: 'normal' };
    this.lastT = start;
    this.temperatureC = this.target(start);
  }

  setFault(fault: Fault, active: boolean): void {
    if (active) this.faults.add(fault);
    else this.faults.delete(fault);
  }

  hasFault(fault: Fault): boolean {
    return this.faults.has(fault);
  }

  /** A shadow delta: take what this unit understands and return what it now reports. */
  apply(desired: Record<string, unknown>): ControlState {
    if (typeof desired.setpointC === 'number' && this.control.setpointC !== undefined) this.control.setpointC = desired.setpointC;
    if (typeof desired.mode === 'string') this.control.mode = desired.mode;
    return { ...this.control };
  }

  /** Advances the unit to device time `t` and measures it. */
  read(t: number): SimReading {
    const dtMinutes = Math.max(0, (t - this.lastT) / 60_000);
    this.lastT = t;
    const doorOpen = this.door(t, dtMinutes);
    const working = !this.faults.has('compressor');
    const target = doorOpen || !working ? this.profile.roomC : this.target(t);
    const tau = !working ? this.profile.failureTauMinutes : doorOpen ? this.profile.doorTauMinutes : this.profile.tauMinutes;
    this.temperatureC = target + (this.temperatureC - target) * Math.exp(-dtMinutes / tau);
    this.batteryPct = Math.max(0, this.batteryPct - (this.faults.has('battery') ? 1.5 : 0.0005) * Math.max(1, dtMinutes));
    const noise = (this.rand() + this.rand() + this.rand() - 1.5) * 0.15;
    return {
      t,
      temperatureC: Math.round((this.temperatureC + noise) * 10) / 10,
      doorOpen,
      batteryPct: Math.round(this.batteryPct * 10) / 10,
    };
  }

  private target(t: number): number {
    const { setpointC, serviceOnly, roomC } = this.profile;
    if (this.type === 'ambient') return roomC + 3 * Math.sin(((new Date(t).getUTCHours() - 9) / 24) * 2 * Math.PI);
    if (this.control.mode === 'standby' || (serviceOnly && !inService(t))) return roomC;
    // A defrost cycle lets the evaporator, and the air a little, warm up.
    return (this.control.setpointC ?? setpointC) + (this.control.mode === 'defrost' ? 2.5 : 0);
  }

  private door(t: number, dtMinutes: number): boolean {
    if (!this.profile.hasDoor) return false;
    if (this.faults.has('door-open')) return true;
    if (t < this.doorOpenUntil) return true;
    const perMinute = inService(t) ? 0.12 : 0.02;
    if (this.rand() < 1 - Math.exp(-perMinute * dtMinutes)) {
      this.doorOpenUntil = t + (10 + this.rand() * 50) * 1000;
      return true;
    }
    return false;
  }
}
