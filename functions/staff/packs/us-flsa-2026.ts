// US federal 2026: FLSA overtime on the regular rate, minimum wage and the tipped-employee credit. Data only:
// payroll-packs.ts validates it with the pack schema. Sources are summarised in docs/payroll.md.
export const usFlsa2026 = {
  id: 'us.flsa',
  version: '2026.1.0',
  status: 'published',
  jurisdiction: 'US',
  locale: 'en',
  currency: { code: 'USD', decimals: 2 },
  // Open-ended: federal law has no annual indexation (the minimum wage has been $7.25 since 2009-07-24); a change in
  // the law ships as a new version. The Korean and Californian packs end with their year: their minimum wages move.
  valid: { from: '2026-01-01' },
  moneyRounding: 'half_up',
  // The workweek is a fixed 168 h (29 CFR 778.105) from the workplace's workweek start and workday start.
  workday: { mode: 'fixed_boundary' },
  minimumWage: [{ from: '2009-07-24', hourlyRate: 725 }],
  sources: [
    { ref: 'fs23', title: 'DOL Fact Sheet #23: Overtime pay requirements of the FLSA', url: 'https://myhourdoc.zendesk.com/hc/en-us/articles/213630923-Overtime-pay-requirements-of-the-FLSA' },
    { ref: 'twc', title: 'TWC: regular rate with shift differentials and bonuses (29 CFR 778.110, 778.207)', url: 'http://www.twc.state.tx.us/news/efte/c_regular_rate_hourly.html' },
    { ref: 'fs15', title: 'DOL Fact Sheet #15: tipped employees, $2.13 cash wage, $5.12 credit', url: 'https://frla.org/news-category/industry/page/60' },
    { ref: 'elaws', title: 'DOL elaws: overtime for tipped employees', url: 'https://webapps.dol.gov/elaws/whd/flsa/otcalc/otExampleTipped725.asp' },
  ],
  changelog: ['2026.1.0: federal minimum wage $7.25, tip credit $5.12 / cash wage $2.13, weekly overtime over 40 h on the regular rate; valid until superseded.'],
  rules: [
    { id: 'flsa.bucket.weekly_ot', kind: 'bucket.threshold', per: 'workweek', after: 2400, tag: 'weekly_ot', legalRefs: ['29 USC §207(a)'] },

    { id: 'flsa.pay.base', kind: 'pay.base', payCode: 'US_REG', label: 'straight time', inRegularRate: true, explain: 'Straight time {hours} × {rate} = {amount}' },
    {
      id: 'flsa.pay.differential',
      kind: 'pay.differential',
      payCode: 'US_SHIFT_DIFF',
      label: 'shift differential',
      inRegularRate: true,
      legalRefs: ['29 CFR 778.207(b)'],
      explain: '{label} {hours} × {rate} = {amount} (in the regular rate)',
    },
    {
      id: 'flsa.pay.bonus',
      kind: 'pay.bonus',
      payCode: 'US_BONUS',
      label: 'non-discretionary bonus',
      inRegularRate: true,
      legalRefs: ['29 CFR 778.211'],
      explain: '{label} ({kind}) {amount}',
    },
    {
      id: 'flsa.pay.minimum_wage',
      kind: 'pay.minimum_wage',
      payCode: 'US_MIN_WAGE_MAKEUP',
      legalRefs: ['29 USC §206', '29 USC §203(m)'],
      explain: 'Minimum wage make-up, workweek {week}: {required} at {minimumWage}/h − cash wages {paid} − tip credit {credit} = {amount}',
      findingExplain: 'Workweek {week}: wages and tip credit fell short of the minimum wage; {amount} made up.',
      tipCredit: {
        maxCreditPerHour: 512,
        minCashWage: 213,
        cashWageFindingExplain: 'Tipped cash wage {rate}/h is below the {limit}/h minimum cash wage (29 USC §203(m)).',
      },
    },
    {
      id: 'flsa.prem.weekly_ot',
      kind: 'pay.premium',
      select: { tagsAll: ['weekly_ot'] },
      basis: 'regular_rate',
      percent: 50,
      payCode: 'US_OT_PREM',
      legalRefs: ['29 USC §207', '29 CFR 778.110', '29 CFR 778.207'],
      legalBasisTags: ['flsa_s7_required'],
      explain: '{hours} over 40 in workweek {week} × {percent}% × regular rate {regularRate} (= {regularRateDerivation}) = {amount}. 29 USC §207; 29 CFR 778.110, 778.207',
    },
  ],
};
