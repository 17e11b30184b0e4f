// Customer references, pure: an order remembers its customer only as a keyed hash of the loyalty id or phone
// number, so repeat visits are recognisable (same customer, same key → same ref, on every site of the stage) while
// neither this table nor the events hold the phone in clear. The key is the stage's secret
// (customer-ref-key.ts); a rotated key starts new refs. Kinds are hashed apart (`phone:` / `loyalty:` in both the
// hashed input and the ref), so a loyalty id that looks like a phone number is never the same customer.
import { createHmac, randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { CustomerInput } from './schemas';

/** At least 256 bits: HMAC-SHA-256 gains nothing from a longer key. */
const KEY_BYTES = 32;

/** What the secret holds: `{ "key": "<32+ random bytes, base64url>" }`. */
export const customerRefKeySchema = z.strictObject({
  key: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url')
    .refine((key) => Buffer.from(key, 'base64url').length >= KEY_BYTES, `must decode to at least ${KEY_BYTES} bytes`),
});
export type CustomerRefKey = z.infer<typeof customerRefKeySchema>;

/** A new stage's key (dev/customer-ref-key.ts locally, scripts/bootstrap.ts on AWS). */
export const newCustomerRefKey = (): CustomerRefKey => ({ key: randomBytes(KEY_BYTES).toString('base64url') });

/** `phone:<HMAC-SHA-256 base64url>` or `loyalty:<…>`: what an order stores and publishes of its customer. */
export function customerRefOf(customer: CustomerInput, key: CustomerRefKey): string {
  const [kind, value] = 'phone' in customer ? (['phone', customer.phone] as const) : (['loyalty', customer.loyaltyId] as const);
  const mac = createHmac('sha256', Buffer.from(key.key, 'base64url')).update(`${kind}:${value}`).digest('base64url');
  return `${kind}:${mac}`;
}
