// The stage's customer-reference key, read from Secrets Manager (`brigade/<stage>/orders/customer-ref-key`: created by
// `npm run bootstrap` on AWS and by the local stack on first start; only the orders role may read it). Read on the
// first order that names a customer, not at cold start, and kept for a few minutes: a rotated key starts making refs
// within that time.
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient } from '#shared/clients/secrets-manager';
import { config } from './config';
import { customerRefKeySchema, customerRefOf, type CustomerRefKey } from './customer-ref';
import type { CustomerInput } from './schemas';

const KEY_CACHE_MS = 5 * 60_000;

let cached: { key: CustomerRefKey; loadedAt: number } | undefined;

async function customerRefKey(): Promise<CustomerRefKey> {
  if (cached && Date.now() - cached.loadedAt < KEY_CACHE_MS) return cached.key;
  const { SecretString } = await secretsManagerClient().send(new GetSecretValueCommand({ SecretId: config.CUSTOMER_REF_KEY_SECRET }));
  const key = customerRefKeySchema.parse(JSON.parse(SecretString ?? '{}'));
  cached = { key, loadedAt: Date.now() };
  return key;
}

/** The keyed hash an order keeps of its customer (customer-ref.ts). */
export const customerRefFor = async (customer: CustomerInput): Promise<string> => customerRefOf(customer, await customerRefKey());
