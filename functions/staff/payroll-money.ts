// Exact money for payroll: an hourly rate is a rational number of minor units per hour (a regular rate of
// $751.00 over 46 h is 75100/46 cents an hour, not 1632.6087), quantities are integer minutes, and a line's
// amount is rounded once, at the end, by the pack's rule. BigInt throughout, so no float touches an amount.

/** Minor units per hour, exactly: num / den. */
export interface Rate {
  readonly num: bigint;
  readonly den: bigint;
}

export type Rounding = 'floor' | 'half_up' | 'ceil';

export function wholeRate(minorPerHour: number | bigint): Rate {
  return { num: BigInt(minorPerHour), den: 1n };
}

/** n ÷ d for n ≥ 0, d > 0, rounded as asked. */
export function divide(n: bigint, d: bigint, mode: Rounding): number {
  const quotient = n / d;
  const remainder = n - quotient * d;
  if (remainder === 0n || mode === 'floor') return Number(quotient);
  if (mode === 'ceil') return Number(quotient + 1n);
  return Number(2n * remainder >= d ? quotient + 1n : quotient);
}

/** minutes × rate × percent / 100, in minor units, rounded once. */
export function amountFor(minutes: number | bigint, rate: Rate, percent: number, mode: Rounding): number {
  return divide(BigInt(minutes) * rate.num * BigInt(percent), rate.den * 6000n, mode);
}

export function sameRate(a: Rate, b: Rate): boolean {
  return a.num * b.den === b.num * a.den;
}

export interface Currency {
  readonly code: string;
  readonly decimals: number;
}

function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A fixed-point string of value ÷ 10^scale with `fraction` decimals, half-up. */
function fixed(value: Rate, scale: number, fraction: number): string {
  const scaled = divide(value.num * 10n ** BigInt(fraction), value.den * 10n ** BigInt(scale), 'half_up');
  const text = String(scaled).padStart(fraction + 1, '0');
  const whole = grouped(text.slice(0, text.length - fraction));
  return fraction === 0 ? whole : `${whole}.${text.slice(text.length - fraction)}`;
}

function withUnit(text: string, currency: Currency): string {
  if (currency.code === 'KRW') return `${text}원`;
  if (currency.code === 'USD') return `$${text}`;
  return `${text} ${currency.code}`;
}

/** 10,320원 · $690.00 */
export function formatMoney(amount: number | bigint, currency: Currency): string {
  return withUnit(fixed(wholeRate(amount), currency.decimals, currency.decimals), currency);
}

/** A rate that need not be whole minor units, shown with two more decimals than the currency has ($16.3261). */
export function formatExactRate(rate: Rate, currency: Currency): string {
  return withUnit(fixed(rate, currency.decimals, currency.decimals + 2), currency);
}

/** 31시간 · 4시간 30분 · 46.00 h · 7 h 07 min */
export function formatMinutes(minutes: number, locale: 'ko' | 'en'): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (locale === 'ko') {
    if (rest === 0) return `${hours}시간`;
    return hours === 0 ? `${rest}분` : `${hours}시간 ${rest}분`;
  }
  if ((rest * 100) % 60 === 0) return `${hours}.${String((rest * 100) / 60).padStart(2, '0')} h`;
  return `${hours} h ${String(rest).padStart(2, '0')} min`;
}

/** {name} placeholders filled from vars; a placeholder the rule does not supply is a pack error, not a blank. */
export function render(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`explanation template uses {${name}}, which this rule does not supply`);
    return value;
  });
}
