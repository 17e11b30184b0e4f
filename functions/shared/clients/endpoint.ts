// How every SDK client finds its endpoint and region. Endpoints come from the standard variables
// (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL), so the same code reaches AWS, LocalStack and the embedded
// local cloud; nothing else in the code knows which one it is talking to. One module per client beside this one,
// so a function bundles only the clients it calls.

export type ServiceEnvSuffix = 'DYNAMODB' | 'SNS' | 'SQS' | 'IOT' | 'IOT_DATA_PLANE' | 'SSM' | 'SECRETS_MANAGER' | 'LAMBDA' | 'KINESIS';

export function endpointFor(service: ServiceEnvSuffix, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${service}`]?.trim();
  const general = env.AWS_ENDPOINT_URL?.trim();
  return specific || general || undefined;
}

export const regionFromEnv = (env: NodeJS.ProcessEnv = process.env) =>
  env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';

export interface BaseClientConfig {
  region: string;
  endpoint?: string;
  maxAttempts: number;
}

export function baseConfig(service: ServiceEnvSuffix, env: NodeJS.ProcessEnv = process.env): BaseClientConfig {
  const endpoint = endpointFor(service, env);
  return {
    region: regionFromEnv(env),
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 3,
  };
}
