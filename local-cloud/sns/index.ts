// The SNS emulator of the embedded local cloud.
export { createSnsEmulator } from './sns-service';
export type {
  DeadLetter,
  QueueSender,
  SentEmail,
  SentSms,
  SnsEmulator,
  SnsEmulatorOptions,
  SubscriptionProtocol,
} from './sns-service';
export type { FilterPolicyScope, MessageAttributeValue, MessageAttributes } from './filter-policy';
export type { SnsLambdaEvent } from './delivery';
