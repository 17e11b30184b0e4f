import { LambdaClient } from '@aws-sdk/client-lambda';
import { baseConfig } from './endpoint';

let lambda: LambdaClient | undefined;

// Locally the invoke API is serverless-offline's (AWS_ENDPOINT_URL_LAMBDA, set by the local cloud); on LocalStack
// the AWS_ENDPOINT_URL it gives every function's container.
export function lambdaClient(): LambdaClient {
  lambda ??= new LambdaClient(baseConfig('LAMBDA'));
  return lambda;
}
