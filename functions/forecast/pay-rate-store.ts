// Each person's base hourly rates per position as staff published them (`staff.pay-rates-changed`), in the forecast
// table, so suggested staffing can be costed without reading staff's table:
//   SITE#{site}#PAYRATES / USER#{user}     currency, rates [{ positionId, from, hourlyRate }], version, eventId
// The put keeps the highest version, so order and redelivery do not matter, no receipt is needed, and a replay from
// the archive rewrites the same items.
import { queryAll } from '#shared/dynamodb';
import type { EventOf } from '#shared/contracts';
import type { PersonRates } from './pay-rate-rules';
import { putIfNewer } from './newest-put';

/** What learn-pay-rates.ts subscribes to (its filter policy in functions.yml). */
export const PAY_RATE_EVENTS = ['staff.pay-rates-changed'] as const;

const sitePk = (siteId: string) => `SITE#${siteId}#PAYRATES`;

/** The item a person's rates are kept as: the consumer's put and the demo seed write the same. */
export function payRatesItem(event: EventOf<'staff.pay-rates-changed'>) {
  const { userId, version, currency, rates } = event.data;
  return { pk: sitePk(event.siteId), sk: `USER#${userId}`, userId, version, currency, rates, eventId: event.id };
}

export class PayRateStore {
  constructor(private readonly table: string) {}

  /** Keeps the event's rates unless a higher version is stored; false when it was not newer. */
  async learn(event: EventOf<'staff.pay-rates-changed'>): Promise<boolean> {
    return putIfNewer(this.table, payRatesItem(event), 'version');
  }

  /** Every person's latest rates at the site. */
  async ratesOf(siteId: string): Promise<PersonRates[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': sitePk(siteId) },
      ProjectionExpression: 'userId, currency, rates',
    });
    return items.map((item) => ({ userId: item.userId as string, currency: item.currency as string, rates: item.rates as PersonRates['rates'] }));
  }
}
