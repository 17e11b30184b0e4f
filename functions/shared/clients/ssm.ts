import { SSMClient } from '@aws-sdk/client-ssm';
import { baseConfig } from './endpoint';

let ssm: SSMClient | undefined;

export function ssmClient(): SSMClient {
  ssm ??= new SSMClient(baseConfig('SSM'));
  return ssm;
}
