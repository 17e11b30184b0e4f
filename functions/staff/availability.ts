// Recurring weekly availability: per weekday, site-local HH:MM windows the person can work (a window whose end is at
// or before its start runs past midnight), an empty list for a day they cannot, and a day left out for a day they
// can at any time. Staff set their own; managers and owners anyone's at their sites (the schedule refuses shifts
// outside it unless a manager overrides).
import type * as z from 'zod';
import { NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import type { AvailabilityRecord } from './availability-store';
import { availabilityStore, profileStore } from './config';
import { mayActFor } from './profiles';
import type { putAvailabilitySchema } from './availability-schemas';

async function assertStaff(caller: Caller, siteId: string, userId: string): Promise<void> {
  if (!mayActFor(caller, userId) || !(await profileStore.get(siteId, userId))) throw new NotFoundError('Staff profile not found');
}

export async function getAvailability(caller: Caller, siteId: string, userId: string): Promise<AvailabilityRecord> {
  await assertStaff(caller, siteId, userId);
  return availabilityStore.get(siteId, userId);
}

export async function putAvailability(caller: Caller, siteId: string, userId: string, request: z.output<typeof putAvailabilitySchema>): Promise<AvailabilityRecord> {
  await assertStaff(caller, siteId, userId);
  const read = request.expectedVersion ?? 0;
  const days = Object.fromEntries(Object.entries(request.days).filter(([, windows]) => windows !== undefined));
  const record: AvailabilityRecord = { siteId, userId, days, version: read + 1, updatedAt: new Date().toISOString(), updatedBy: caller.userId };
  // A first set where one exists, or a stale version, fails its condition: 409 (availability-store.ts).
  await availabilityStore.put(record);
  return record;
}
