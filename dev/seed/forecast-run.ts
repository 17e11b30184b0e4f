// Runs the forecast domain's nightly job once for the given sites, over the local Lambda endpoint, as its hourly
// schedule would: after the demo history is written, so demo-bistro's forecasts are stored runs from the first minute.
// Only the demo site: other sites' first runs are the schedule's (and the tests') to make.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalCloud } from '../../local-cloud/local-cloud';

export async function runNightlyForecasts(cloud: Pick<LocalCloud, 'stage' | 'ports' | 'env'>, siteIds: readonly string[]): Promise<Record<string, unknown>> {
  const lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${cloud.ports.lambda}`,
    region: cloud.env.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const started = Date.now();
  try {
    const result = await lambda.send(new InvokeCommand({ FunctionName: `brigade-${cloud.stage}-runForecasts`, Payload: Buffer.from(JSON.stringify({ siteIds })) }));
    if (result.FunctionError) return { failed: result.FunctionError };
    return { ...(JSON.parse(Buffer.from(result.Payload ?? []).toString('utf8')) as Record<string, unknown>), seconds: Math.round((Date.now() - started) / 100) / 10 };
  } finally {
    lambda.destroy();
  }
}
