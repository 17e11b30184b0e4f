import { cashProcessor, fakeCardProcessor, FAKE_DECLINED_CARD_PREFIX, manualCardProcessor, processorFor, processorNamed } from '../../functions/orders/payment-processors';

const charge = { amount: 2500, currency: 'EUR', idempotencyKey: 'site:order:user:key-1' };

describe('payment processors', () => {
  it('cash always goes to the cash adapter; cards to the configured one', () => {
    expect(processorFor('cash', 'fake-card')).toBe(cashProcessor);
    expect(processorFor('card', 'fake-card')).toBe(fakeCardProcessor);
    expect(processorFor('card', 'manual')).toBe(manualCardProcessor);
    expect(processorNamed('fake-card')).toBe(fakeCardProcessor);
    expect(() => processorNamed('stripe')).toThrow(/unknown payment processor/);
  });

  it('the fake card processor is deterministic: same key, same reference; declining references decline', async () => {
    const first = await fakeCardProcessor.charge({ ...charge, cardReference: 'tok_visa' });
    const again = await fakeCardProcessor.charge({ ...charge, cardReference: 'tok_visa' });
    expect(first).toEqual(again);
    expect(first).toMatchObject({ approved: true, processorReference: expect.stringMatching(/^fake_ch_[0-9a-f]{16}$/) });
    expect(await fakeCardProcessor.charge({ ...charge, cardReference: `${FAKE_DECLINED_CARD_PREFIX}_insufficient_funds` })).toEqual({
      approved: false,
      reason: 'card_declined',
    });
    expect(await fakeCardProcessor.refund({ amount: 100, currency: 'EUR', idempotencyKey: 'k' })).toMatchObject({ approved: true });
  });

  it('the manual adapter records the terminal’s reference as given', async () => {
    expect(await manualCardProcessor.charge({ ...charge, cardReference: 'TERM-0042' })).toEqual({ approved: true, processorReference: 'TERM-0042' });
    expect(await cashProcessor.charge(charge)).toEqual({ approved: true });
  });
});
