// The business day an order belongs to: the date in the site's time zone, except that orders placed before
// the site's `businessDayStartsAt` (say 04:00) still count for the previous day, so a late bar tab and the
// dinner service share one day and one ticket sequence.

export function businessDayOf(at: Date, timeZone: string, startsAt: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const localDate = `${parts.year}-${parts.month}-${parts.day}`;
  const localTime = `${parts.hour}:${parts.minute}`;
  return localTime < startsAt ? previousDate(localDate) : localDate;
}

function previousDate(isoDate: string): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}
