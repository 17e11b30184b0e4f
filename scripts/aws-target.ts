// Command-line scripts that act on a deployed stage use the same SDK clients and endpoint rules as the handlers.
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { parseArgs } from 'node:util';
import { snsClient } from '../functions/shared/clients/sns';

/** The ARN of the stage's events topic, found by name (the stacks do not export it). */
export async function eventsTopicArn(stage: string): Promise<string> {
  const name = `brigade-${stage}-events`;
  let next: string | undefined;
  do {
    const page = await snsClient().send(new ListTopicsCommand({ NextToken: next }));
    const found = page.Topics?.find((t) => t.TopicArn?.endsWith(`:${name}`));
    if (found?.TopicArn) return found.TopicArn;
    next = page.NextToken;
  } while (next);
  throw new Error(`no SNS topic named ${name}: is the stage deployed in this region?`);
}

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
    ordersTable: `brigade-${stage}-orders`,
  };
}
