// Stands in for @aws-sdk/credential-provider-node in deployed bundles only (serverless.yml custom.esbuild.alias).
// Lambda always hands a function its role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN, the first link of the SDK's default chain; the rest of the chain (SSO, profiles, web identity,
// process, IMDS, and the STS/SSO clients they bring) is ~125 KB of every bundle and never runs there. Local runs
// (tsx, jest, scripts) resolve the real package and keep the whole chain.
import type { AwsCredentialIdentity } from '@aws-sdk/types';

export function defaultProvider(): () => Promise<AwsCredentialIdentity> {
  return async () => credentialsFromEnv(process.env);
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv): AwsCredentialIdentity {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('No AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them)');
  }
  const expiration = env.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
  };
}
