// Server performance, pure: a person's figures over a range from the day counters' `byServer` (orders they placed:
// the order's `serverId`; hours: their clock-outs; voids: their orders voided, whoever voided them). Voids published
// before `order.voided` carried the order's server count in the site's voids but in nobody's.
import { mulDivHalfUp } from '#shared/money';
import { averageTicket, perLabourHour, type ServerFigures } from './sales-rules';

export interface ServerPerformance {
  userId: string;
  netSales: number;
  orders: number;
  covers: number;
  averageTicket: number;
  labourSeconds: number;
  /** Hours on the clock, two decimals. */
  labourHours: number;
  /** Net sales per hour on the clock, minor units half up; null without hours. */
  salesPerLabourHour: number | null;
  /** Covers per hour on the clock, two decimals; null without hours. */
  coversPerLabourHour: number | null;
  discounts: number;
  tips: number;
  /** Their orders voided and those orders' net at the void; `rateBps` of the orders they placed (paid + voided). */
  voids: { count: number; amount: number; rateBps: number | null };
}

const twoDecimals = (value: number) => Math.round(value * 100) / 100;

export function serverPerformance(userId: string, figures: ServerFigures | undefined): ServerPerformance {
  const { netSales = 0, orders = 0, covers = 0, discounts = 0, tips = 0, labourSeconds = 0, voids = 0, voidAmount = 0 } = figures ?? {};
  return {
    userId,
    netSales,
    orders,
    covers,
    averageTicket: averageTicket(netSales, orders),
    labourSeconds,
    labourHours: twoDecimals(labourSeconds / 3600),
    salesPerLabourHour: perLabourHour(netSales, labourSeconds),
    coversPerLabourHour: labourSeconds > 0 ? twoDecimals((covers * 3600) / labourSeconds) : null,
    discounts,
    tips,
    voids: { count: voids, amount: voidAmount, rateBps: orders + voids > 0 ? mulDivHalfUp(voids, 10_000, orders + voids) : null },
  };
}

/** Everyone who sold or worked in the range, best net sales first (then hours, then id). */
export function serverTable(byServer: Readonly<Record<string, ServerFigures>>): ServerPerformance[] {
  return Object.entries(byServer)
    .map(([userId, figures]) => serverPerformance(userId, figures))
    .sort((a, b) => b.netSales - a.netSales || b.labourSeconds - a.labourSeconds || a.userId.localeCompare(b.userId));
}
