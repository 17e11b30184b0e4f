// Invoking one of the stage's functions directly from a script (scripts/replay.ts, scripts/analytics-rebuild.ts):
// the local stack's Lambda endpoint (serverless-offline's lambda port) and credentials unless the environment names
// one, and a JSON result or the function's error as an exception.
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { lambdaClient } from '../functions/shared/clients/lambda';
import { localAwsEnv } from '../dev/aws';
import { portsFromEnv } from '../local-cloud/ports';

/** The local stack's endpoint and credentials, unless the caller's environment already names a Lambda endpoint. */
export function useLocalStackFor(): void {
  const local = { ...localAwsEnv(), AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${portsFromEnv().lambda}` };
  for (const [name, value] of Object.entries(local)) process.env[name] = value;
}

/** RequestResponse invocation: the function's JSON result, or its error message thrown. */
export async function invokeFunction(functionName: string, payload: unknown): Promise<unknown> {
  const result = await lambdaClient().send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(payload)) }));
  const text = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
  if (result.FunctionError) {
    const { errorMessage } = (JSON.parse(text || '{}') ?? {}) as { errorMessage?: string };
    throw new Error(`${functionName} failed: ${errorMessage ?? text}`);
  }
  return JSON.parse(text) as unknown;
}
