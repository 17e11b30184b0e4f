// Food-safety holds, pure. A hold freezes the stock of one storage location until a person decides: a refrigeration
// unit linked to the location starts an excursion (iot.excursion-started), or a manager holds it by hand. The hold
// lists what was on hand there at that moment; auto-86 counts no stock at a held location (availability-plan.ts).
//
//   open ──release──▶ released     the stock is fine: it counts again
//     └───discard──▶ discarded     `quarantined` waste of each held item at the location, at the average cost
//
// The end of the excursion does not release anything: a person must judge the food. A location has one open hold
// at most; an excursion of a location already held adds nothing. Discarding takes what is at the location now, up
// to the quantity held: stock sold or moved away since the hold is not wasted twice, and stock received there since
// is not the hold's.
import { createHash } from 'node:crypto';
import { ConflictError } from '#shared/errors';

export const HOLD_STATUSES = ['open', 'released', 'discarded'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/** Items discarded per transaction: each is an on-hand row, a ledger entry and an event (≤ 100 items with the hold's own). */
export const DISCARD_ITEMS_PER_TRANSACTION = 30;

export interface HeldQuantity {
  itemId: string;
  /** Milli-base units on hand at the location when it was held. */
  quantity: number;
}

export interface DiscardLine extends HeldQuantity {
  /** Held but no longer there (sold, moved or counted away since): not wasted. */
  gone: number;
}

/**
 * A hold's id: the UTC time the hold began (the excursion's start, or now) to the second, so ids sort by age, then
 * a digest of what it is about (the incident and the location), so a redelivered excursion names the same hold.
 */
export function holdIdFor(startedAt: string, about: string, location: string): string {
  const stamp = new Date(startedAt).toISOString().replace(/\D/g, '').slice(0, 14);
  return `h${stamp}-${createHash('sha256').update(`${about}|${location}`).digest('hex').slice(0, 12)}`;
}

/** The locations a unit is linked to. */
export const locationsOfDevice = <L extends { location: string; deviceIds: readonly string[] }>(links: readonly L[], deviceId: string): L[] =>
  links.filter((link) => link.deviceIds.includes(deviceId));

/** What a hold lists: the items with stock at the location, in item order. */
export const heldQuantities = (rows: Iterable<{ itemId: string; quantity: number }>): HeldQuantity[] =>
  [...rows].filter((row) => row.quantity > 0).map(({ itemId, quantity }) => ({ itemId, quantity })).sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));

/** What discarding takes per held item: what is at the location now, at most what was held, never below zero. */
export function discardLines(held: readonly HeldQuantity[], onHandNow: ReadonlyMap<string, number>): DiscardLine[] {
  return held.map(({ itemId, quantity }) => {
    const taken = Math.min(quantity, Math.max(onHandNow.get(itemId) ?? 0, 0));
    return { itemId, quantity: taken, gone: quantity - taken };
  });
}

export class HoldClosedError extends ConflictError {
  constructor(holdId: string, status: HoldStatus) {
    super(`Hold ${holdId} is already ${status}`, { holdId, status });
  }
}

export function assertOpen(hold: { holdId: string; status: HoldStatus }): void {
  if (hold.status !== 'open') throw new HoldClosedError(hold.holdId, hold.status);
}

/** An excursion in words, for the hold's reason. */
export function excursionReason(data: { deviceName: string; startedAt: string; peakC: number; severity: string }): string {
  return `${data.deviceName} out of its safe range since ${data.startedAt} (peak ${data.peakC} °C, ${data.severity})`;
}
