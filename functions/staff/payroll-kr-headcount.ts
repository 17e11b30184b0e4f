// 상시근로자 수 (근로기준법 시행령 제7조의2): whether a Korean workplace counts as "5 or more" for the month after
// the counting period. The engine takes the result as an effective-dated fact (workplace.regularHeadcount); this
// is its derivation, kept beside it so the status on each pay line can be traced back to the daily counts.

export interface KrHeadcountDay {
  date: string;
  /** Workers used that day: part-timers, fixed-term and daily workers and people on leave count; the owner and dispatched workers do not. */
  workers: number;
}

export interface KrHeadcountStatus {
  status: 'ge5' | 'lt5';
  personDays: number;
  operatingDays: number;
  /** 연인원 ÷ 가동일수, to two decimals (truncated), for the record. */
  average: string;
  daysBelowFive: number;
}

/**
 * From the operating days of the month before the triggering event. 제7조의2②: whatever the average, the
 * workplace is "5 or more" when the days below 5 are fewer than half of the operating days, and "under 5" when
 * they are half or more; so the half-of-days test decides and the average is reported alongside.
 */
export function krRegularHeadcount(days: readonly KrHeadcountDay[]): KrHeadcountStatus {
  if (days.length === 0) throw new Error('krRegularHeadcount needs at least one operating day');
  const personDays = days.reduce((sum, day) => sum + day.workers, 0);
  const daysBelowFive = days.filter((day) => day.workers < 5).length;
  const hundredths = Math.floor((personDays * 100) / days.length);
  return {
    status: daysBelowFive * 2 < days.length ? 'ge5' : 'lt5',
    personDays,
    operatingDays: days.length,
    average: `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`,
    daysBelowFive,
  };
}
