// SDK clients the command-line scripts use and no function does (so they are not in functions/shared/clients), with
// the client layer's endpoint and region rules (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL).
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { baseConfig } from '../functions/shared/clients/endpoint';

let kinesis: KinesisClient | undefined;
let sqs: SQSClient | undefined;

/**
 * Over HTTP/1.1: the SDK's default for Kinesis is HTTP/2 (for SubscribeToShard, which the scripts do not call),
 * and the local cloud's edge port speaks HTTP/1.1, as LocalStack's does. AWS serves every other call on both.
 */
export function kinesisClient(): KinesisClient {
  kinesis ??= new KinesisClient({ ...baseConfig('KINESIS'), requestHandler: new NodeHttpHandler() });
  return kinesis;
}

export function sqsClient(): SQSClient {
  sqs ??= new SQSClient(baseConfig('SQS'));
  return sqs;
}
