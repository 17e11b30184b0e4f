// What the telemetry rule hands the ingest function, and the readings in it: one reading, or a batch
// `{ readings: [...] }`. Every reading is validated on its own; a bad one is rejected with a reason and the
// rest of the batch goes on.
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';

/** A device clock may run this far ahead of IoT Core's before its readings are refused. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000;
/** How old a reading may be when it arrives (a device that buffered through a network outage). */
export const MAX_READING_AGE_MS = 24 * 60 * 60 * 1000;
export const MAX_BATCH = 500;

export const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

/** Fields the rule adds to the device's JSON: `topic(2) AS siteId, topic(4) AS deviceId, timestamp() AS receivedAt`. */
const ruleOutputSchema = z.object({
  siteId: siteIdSchema,
  deviceId: deviceIdSchema,
  receivedAt: z.number().int().positive(),
  clientId: z.string().optional(),
});

/** Sensors resolve 0.1 °C at best; rounding also keeps values DynamoDB cannot store (1e-200) out. */
const round = (decimals: number) => (v: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

const readingSchema = z.object({
  t: z.number().int().positive().optional(),
  temperatureC: z.number().min(-60).max(400).transform(round(2)),
  doorOpen: z.boolean().optional(),
  batteryPct: z.number().min(0).max(100).transform(round(1)).optional(),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
});

export interface Reading {
  /** Device time, epoch ms; the receive time when the device sent none. */
  t: number;
  /** False when `t` is the receive time: such a reading is deduplicated by `seq` only. */
  deviceTime: boolean;
  temperatureC: number;
  doorOpen?: boolean;
  batteryPct?: number;
  seq?: number;
}

export interface RejectedReading {
  index: number;
  reason: string;
  reading: unknown;
}

export interface ParsedTelemetry {
  siteId: string;
  deviceId: string;
  receivedAt: number;
  readings: Reading[];
  rejected: RejectedReading[];
}

export type ParseOutcome = { ok: true; telemetry: ParsedTelemetry } | { ok: false; reason: string };

/** What was wrong, one `path: message` per issue. */
export const describeIssues = (issues: readonly z.core.$ZodIssue[]) => issues.map((i) => `${i.path.join('.') || 'reading'}: ${i.message}`).join('; ');
const describe = (error: z.ZodError) => describeIssues(error.issues);

export function parseTelemetry(output: unknown): ParseOutcome {
  const envelope = ruleOutputSchema.safeParse(output);
  if (!envelope.success) return { ok: false, reason: describe(envelope.error) };
  const { siteId, deviceId, receivedAt } = envelope.data;
  const body = output as Record<string, unknown>;
  const batch = 'readings' in body;
  if (batch && !Array.isArray(body.readings)) return { ok: false, reason: 'readings must be an array' };
  const raw: unknown[] = batch ? (body.readings as unknown[]) : [body];
  if (raw.length > MAX_BATCH) return { ok: false, reason: `a batch holds at most ${MAX_BATCH} readings` };

  const readings: Reading[] = [];
  const rejected: RejectedReading[] = [];
  const seen = new Set<string>();
  raw.forEach((candidate, index) => {
    const reject = (reason: string) => rejected.push({ index, reason, reading: batch ? candidate : pick(body) });
    const parsed = readingSchema.safeParse(candidate);
    if (!parsed.success) return reject(describe(parsed.error));
    const { t, ...fields } = parsed.data;
    // A batch is the device's own record of when it measured; a lone reading may leave the time to the cloud.
    if (batch && t === undefined) return reject('t: required in a batch');
    if (t !== undefined && t > receivedAt + MAX_CLOCK_AHEAD_MS) return reject('t: more than 5 minutes in the future');
    if (t !== undefined && t < receivedAt - MAX_READING_AGE_MS) return reject('t: older than 24 hours');
    const reading: Reading = { t: t ?? receivedAt, deviceTime: t !== undefined, ...fields };
    const key = dedupeKey(reading);
    if (key && seen.has(key)) return; // the same reading twice in one batch
    if (key) seen.add(key);
    readings.push(reading);
  });
  return { ok: true, telemetry: { siteId, deviceId, receivedAt, readings, rejected } };
}

/** Identity of a reading across QoS 1 redeliveries: its device time, else its sequence number. */
export function dedupeKey(reading: Reading): string | undefined {
  if (reading.deviceTime) return `t:${reading.t}`;
  return reading.seq === undefined ? undefined : `seq:${reading.seq}`;
}

/** The device's own fields of a single-reading message, without what the rule added. */
function pick(body: Record<string, unknown>): Record<string, unknown> {
  const { siteId: _s, deviceId: _d, receivedAt: _r, clientId: _c, ...own } = body;
  return own;
}
