// Invokes functions through serverless-offline's Lambda endpoint, as AWS services would invoke them.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaInvoker } from './types';
import { LOCAL_REGION } from './types';

export function createLambdaInvoker(lambdaPort: number): LambdaInvoker & { destroy(): void } {
  const client = new LambdaClient({
    endpoint: `http://127.0.0.1:${lambdaPort}`,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1, // the callers (SNS delivery, rule actions) own the retry policy
  });
  const invoke = async (functionName: string, event: unknown) => {
    try {
      const result = await client.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(event)) }),
      );
      const text = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
      if (result.FunctionError) return { ok: false as const, error: `${result.FunctionError}: ${text.slice(0, 2000)}` };
      return { ok: true as const, payload: text ? (JSON.parse(text) as unknown) : null };
    } catch (error) {
      return { ok: false as const, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  };
  return Object.assign(invoke, { destroy: () => client.destroy() });
}
