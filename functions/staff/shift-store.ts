// Scheduled shifts and schedule weeks (table.ts has the layout):
//   SITE#{site}#SHIFTS / SHIFT#{date}#{shift}     a shift, draft or published; `date` is the site-local day it starts
//   SITE#{site}#SCHEDULE / WEEK#{weekStart}       a schedule week: published version and when
// Reads here are what the time clock and timesheets need (a person's published shifts over local days); the
// schedule's own writes sit next to them.
import { queryAll } from '#shared/dynamodb';
import { partitions } from './table';

export const SHIFT_STATUSES = ['draft', 'published'] as const;

export interface ShiftRecord {
  siteId: string;
  shiftId: string;
  /** The site-local day the shift starts on. */
  date: string;
  /** UTC ISO instants. */
  start: string;
  end: string;
  positionId: string;
  /** Absent: an open shift anyone with the position may claim. */
  userId?: string;
  status: (typeof SHIFT_STATUSES)[number];
  /** Unpaid break planned inside the shift, in minutes (for the labour cost and the worked hours planned). */
  breakMinutes: number;
  note?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export class ShiftStore {
  constructor(private readonly table: string) {}

  /** Every shift starting on the local days `from`..`to` (inclusive), in start-day order. */
  async shiftsOn(siteId: string, from: string, to: string, options: { consistent?: boolean } = {}): Promise<ShiftRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      // `SHIFT#{to}~` sorts after every shift of day `to`.
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': partitions.shifts(siteId), ':from': `SHIFT#${from}`, ':to': `SHIFT#${to}~` },
      ...(options.consistent ? { ConsistentRead: true } : {}),
    });
    return items.map(shiftOf);
  }

  /** One person's published shifts starting on the local days `from`..`to`: what the clock and timesheets hold them to. */
  async publishedShiftsOf(siteId: string, userId: string, from: string, to: string): Promise<ShiftRecord[]> {
    return (await this.shiftsOn(siteId, from, to)).filter((shift) => shift.status === 'published' && shift.userId === userId);
  }
}

export function shiftOf(item: Record<string, unknown>): ShiftRecord {
  const { pk: _pk, sk: _sk, ...shift } = item;
  return shift as unknown as ShiftRecord;
}

