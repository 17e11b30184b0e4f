// Lambda's Invoke API as replay.ts's TargetInvoker: synchronous (RequestResponse), so a batch is done, or has
// failed, before the next one is sent.
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { lambdaClient } from '#shared/clients/lambda';
import type { InvokeOutcome, TargetInvoker } from './replay';

/** Enough of a target's error (`{ errorType, errorMessage, trace }`) to tell what failed; the rest is in its logs. */
const MAX_ERROR_CHARS = 1000;

export class LambdaTargetInvoker implements TargetInvoker {
  /** `functionPrefix` is the stage's (`brigade-prod`): a target `learnSites` is the function `brigade-prod-learnSites`. */
  constructor(private readonly functionPrefix: string) {}

  async invoke(target: string, event: unknown): Promise<InvokeOutcome> {
    const result = await lambdaClient().send(
      new InvokeCommand({
        FunctionName: `${this.functionPrefix}-${target}`,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
    if (!result.FunctionError) return { ok: true };
    const payload = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
    return { ok: false, error: `${result.FunctionError}: ${payload.slice(0, MAX_ERROR_CHARS)}` };
  }
}
