import { SNSClient } from '@aws-sdk/client-sns';
import { baseConfig } from './endpoint';

let sns: SNSClient | undefined;

export function snsClient(): SNSClient {
  sns ??= new SNSClient(baseConfig('SNS'));
  return sns;
}
