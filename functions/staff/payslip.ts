// A person's payslip for a locked pay period, from the stored result only (never recomputed from today's records):
// each pay line with its hours, rate, rule and explanation in the pack's language (Korean for the KR pack), the
// totals, and the findings that are not money. Staff read their own (another person's is a 404); managers any.
import { NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { profileStore } from './config';
import { payrollPack } from './payroll-packs';
import { mayActFor } from './profiles';
import { lockedTimesheet } from './timesheets';

const LABELS = {
  ko: { title: '급여명세서', period: '급여 기간', lines: '지급 내역', gross: '지급 총액', findings: '확인 사항' },
  en: { title: 'Payslip', period: 'Pay period', lines: 'Earnings', gross: 'Gross pay', findings: 'Compliance notes' },
} as const;

export async function payslipOf(caller: Caller, siteId: string, periodFrom: string, userId: string) {
  const notFound = new NotFoundError('Payslip not found');
  if (!mayActFor(caller, userId)) throw notFound;
  const profile = await profileStore.get(siteId, userId);
  if (!profile) throw notFound;
  const item = await lockedTimesheet(siteId, periodFrom, userId, 'there is no payslip until it is locked');
  const { result } = item;
  const locale = payrollPack(item.packRef).locale === 'ko' ? 'ko' : 'en';
  return {
    employee: { userId, name: profile.name },
    siteId,
    period: { from: item.periodFrom, to: item.periodTo },
    locale,
    labels: LABELS[locale],
    pack: { ref: item.packRef, digest: item.packDigest },
    currency: result.currency,
    lockedAt: item.lockedAt,
    lockedBy: item.lockedBy,
    lines: result.lines.map((line) => ({
      payCode: line.payCode,
      ruleId: line.ruleId,
      workweek: line.workweek,
      from: line.from,
      to: line.to,
      minutes: line.minutes,
      rate: line.rate,
      percent: line.percent,
      amount: line.amount,
      explanation: line.explanation,
      legalRefs: line.legalRefs,
    })),
    totals: { gross: result.totals.amount, byPayCode: result.totals.byPayCode },
    findings: result.findings,
    derived: result.derived,
    resultDigest: item.resultDigest,
  };
}
