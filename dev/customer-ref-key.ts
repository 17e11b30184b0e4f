// The customer-reference key of a local stage (functions/orders/customer-ref.ts): generated on first start, kept in
// .local/keys (git-ignored) so refs stay the same across restarts like on AWS, and put into the local Secrets
// Manager under the name `custom.orders.customerRefKeySecret` of the resolved service (serverless.yml) gives.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { customerRefKeySchema, newCustomerRefKey, type CustomerRefKey } from '../functions/orders/customer-ref';
import type { LocalCloudBootstrap } from '../local-cloud/local-cloud';
import { PROJECT_ROOT } from '../local-cloud/service-definition';

export function localCustomerRefKey(stage: string): CustomerRefKey {
  const file = join(PROJECT_ROOT, '.local', 'keys', `${stage}-customer-ref.json`);
  if (existsSync(file)) return customerRefKeySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const key = newCustomerRefKey();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  return key;
}

/** Runs as part of the cloud's `beforeFunctions`, before any order can ask for the key. */
export function installLocalCustomerRefKey(cloud: LocalCloudBootstrap): void {
  const name = (cloud.service.custom?.orders as { customerRefKeySecret?: unknown } | undefined)?.customerRefKeySecret;
  if (typeof name !== 'string' || !name) return;
  cloud.secretsManager.putSecret(name, JSON.stringify(localCustomerRefKey(cloud.stage)));
}
