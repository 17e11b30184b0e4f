// Command-line scripts that act on a deployed stage use the same SDK clients and endpoint rules as the handlers.
import { parseArgs } from 'node:util';

export function stageArgs(extra: Record<string, { type: 'string' | 'boolean' }> = {}) {
  const { values } = parseArgs({ options: { stage: { type: 'string' }, region: { type: 'string' }, ...extra }, allowPositionals: false });
  if (!values.stage || typeof values.stage !== 'string') {
    console.error('usage: --stage <name> [--region <region>]');
    process.exit(2);
  }
  if (typeof values.region === 'string') process.env.AWS_REGION = values.region;
  const stage = values.stage;
  return {
    values,
    stage,
    usersTable: `brigade-${stage}-users`,
    // Also holds the public JWKS (functions/shared/public-keys.ts).
    revocationsTable: `brigade-${stage}-revocations`,
    signingKeysSecret: `brigade/${stage}/auth/signing-keys`,
    customerRefKeySecret: `brigade/${stage}/orders/customer-ref-key`,
  };
}
