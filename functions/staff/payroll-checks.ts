// Compliance findings that are not money: weekly hour caps (Korea's 52 h incl. holiday work, the part-timer's
// 12 h over contract), breaks (휴게 30 min per 4 h, 1 h per 8 h) and the site's minimum rest between shifts. The
// engine never lowers pay because a rule was broken; it reports.
import { inPeriod, rulesOf, segmentsByWorkday, weekEnd, type Context } from './payroll-context';
import { weekLabel } from './payroll-lines';
import { formatMinutes, render } from './payroll-money';
import { selects } from './payroll-tagging';
import { gapsOf } from './payroll-time';

const MINUTE = 60_000;

export function applyChecks(context: Context): void {
  const { pack, findings } = context;
  for (const rule of rulesOf(pack, 'check.weekly_cap')) {
    for (const workweek of context.weeks.filter((week) => inPeriod(context, weekEnd(week)))) {
      if (!context.facts.applies(rule, weekEnd(workweek))) continue;
      const actual = context.segments
        .filter((segment) => segment.workweek === workweek && selects(rule.select, segment.tags))
        .reduce((sum, segment) => sum + segment.minutes, 0);
      if (actual <= rule.maxMinutes) continue;
      findings.push({
        ruleId: rule.id,
        severity: 'violation',
        date: workweek,
        measure: 'minutes_per_week',
        limit: rule.maxMinutes,
        actual,
        legalRefs: [...rule.legalRefs],
        explanation: render(rule.explain, {
          week: weekLabel(workweek),
          hours: formatMinutes(actual, pack.locale),
          limit: formatMinutes(rule.maxMinutes, pack.locale),
        }),
      });
    }
  }

  const days = segmentsByWorkday(context.segments);
  for (const rule of rulesOf(pack, 'check.breaks')) {
    for (const [date, day] of days) {
      if (!inPeriod(context, date) || !context.facts.applies(rule, date)) continue;
      const worked = day.reduce((sum, segment) => sum + segment.minutes, 0);
      const given = gapsOf(day).reduce((sum, gap) => sum + gap.minutes, 0);
      const due = Math.max(0, ...rule.tiers.filter((tier) => worked >= tier.workedMinutes).map((tier) => tier.breakMinutes));
      if (given >= due) continue;
      findings.push({
        ruleId: rule.id,
        severity: 'violation',
        date,
        measure: 'break_minutes',
        limit: due,
        actual: given,
        legalRefs: [...rule.legalRefs],
        explanation: render(rule.explain, {
          date,
          hours: formatMinutes(worked, pack.locale),
          given: formatMinutes(given, pack.locale),
          due: formatMinutes(due, pack.locale),
        }),
      });
    }
  }

  const { minRestMinutes } = context.input.policy;
  if (minRestMinutes !== undefined) {
    context.segments.forEach((segment, i) => {
      const before = context.segments[i - 1];
      if (!before || before.workday === segment.workday || !inPeriod(context, segment.workday)) return;
      const rest = (segment.start - before.end) / MINUTE;
      if (rest >= minRestMinutes) return;
      findings.push({
        ruleId: 'policy.min_rest',
        severity: 'notice',
        date: segment.workday,
        measure: 'rest_minutes_between_shifts',
        limit: minRestMinutes,
        actual: rest,
        legalRefs: [],
        explanation:
          pack.locale === 'ko'
            ? `${segment.workday} 근무 전 휴식 ${formatMinutes(rest, 'ko')}: 사업장 기준 ${formatMinutes(minRestMinutes, 'ko')} 미만입니다.`
            : `${formatMinutes(rest, 'en')} rest before the shift of ${segment.workday}; the site's policy asks for ${formatMinutes(minRestMinutes, 'en')}`,
      });
    });
  }
}
