// What SNS sends to each kind of subscriber, and the retry loop around it.
import type { LambdaInvoker } from '../types';
import type { MessageAttributes } from './filter-policy';

/** One published message as a given subscription receives it. */
export interface Notification {
  messageId: string;
  topicArn: string;
  subscriptionArn: string;
  subject?: string;
  message: string;
  attributes: MessageAttributes;
  timestamp: string;
  unsubscribeUrl: string;
  signingCertUrl: string;
}

interface NotificationAttribute {
  Type: string;
  Value: string;
}

/** The event SNS passes to a subscribed Lambda function. */
export interface SnsLambdaEvent {
  Records: Array<{
    EventSource: 'aws:sns';
    EventVersion: '1.0';
    EventSubscriptionArn: string;
    Sns: {
      Type: 'Notification';
      MessageId: string;
      TopicArn: string;
      Subject: string | null;
      Message: string;
      Timestamp: string;
      SignatureVersion: string;
      Signature: string;
      SigningCertUrl: string;
      UnsubscribeUrl: string;
      MessageAttributes: Record<string, NotificationAttribute>;
    };
  }>;
}

export interface RetryPolicy {
  /** Total attempts, the first one included. */
  attempts: number;
  baseDelayMs: number;
}

export type DeliveryOutcome = { delivered: true } | { delivered: false; error: string; attempts: number };

const SIGNATURE_VERSION = '1';
// Locally nothing is signed: receivers that verify SNS signatures must skip verification against the emulator.
const UNSIGNED = Buffer.from('local-sns-emulator-unsigned').toString('base64');
const HTTP_TIMEOUT_MS = 15_000;

export function lambdaEvent(n: Notification): SnsLambdaEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: n.subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: n.messageId,
          TopicArn: n.topicArn,
          Subject: n.subject ?? null,
          Message: n.message,
          Timestamp: n.timestamp,
          SignatureVersion: SIGNATURE_VERSION,
          Signature: UNSIGNED,
          SigningCertUrl: n.signingCertUrl,
          UnsubscribeUrl: n.unsubscribeUrl,
          MessageAttributes: notificationAttributes(n.attributes),
        },
      },
    ],
  };
}

/** The JSON document SNS POSTs to HTTP/S endpoints (note the URL casing differs from the Lambda event). */
export function httpNotificationBody(n: Notification): string {
  const attributes = notificationAttributes(n.attributes);
  return JSON.stringify({
    Type: 'Notification',
    MessageId: n.messageId,
    TopicArn: n.topicArn,
    ...(n.subject !== undefined && { Subject: n.subject }),
    Message: n.message,
    Timestamp: n.timestamp,
    SignatureVersion: SIGNATURE_VERSION,
    Signature: UNSIGNED,
    SigningCertURL: n.signingCertUrl,
    UnsubscribeURL: n.unsubscribeUrl,
    ...(Object.keys(attributes).length > 0 && { MessageAttributes: attributes }),
  });
}

function notificationAttributes(attributes: MessageAttributes): Record<string, NotificationAttribute> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [name, { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' }]),
  );
}

/** `arn:aws:lambda:region:account:function:NAME[:QUALIFIER]` → NAME; a plain name is used as is. */
export function functionNameFromEndpoint(endpoint: string): string {
  const parts = endpoint.split(':');
  return endpoint.startsWith('arn:') && parts[5] === 'function' && parts[6] ? parts[6] : endpoint;
}

export async function invokeSubscribedLambda(invoke: LambdaInvoker, endpoint: string, n: Notification): Promise<void> {
  const result = await invoke(functionNameFromEndpoint(endpoint), lambdaEvent(n));
  if (!result.ok) throw new Error(result.error);
}

export async function postHttpNotification(url: string, n: Notification, raw: boolean): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': n.messageId,
      'x-amz-sns-topic-arn': n.topicArn,
      'x-amz-sns-subscription-arn': n.subscriptionArn,
      ...(raw && { 'x-amz-sns-rawdelivery': 'true' }),
    },
    body: raw ? n.message : httpNotificationBody(n),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
}

/** Runs `attempt` until it succeeds or the policy is exhausted, waiting base·2^(n-1) ms after failure n. */
export async function withRetries(
  attempt: () => Promise<void>,
  policy: RetryPolicy,
  onFailure: (error: string, attemptNumber: number) => void,
): Promise<DeliveryOutcome> {
  let lastError = '';
  for (let n = 1; n <= policy.attempts; n++) {
    try {
      await attempt();
      return { delivered: true };
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      onFailure(lastError, n);
    }
    if (n < policy.attempts) await new Promise((resolve) => setTimeout(resolve, policy.baseDelayMs * 2 ** (n - 1)));
  }
  return { delivered: false, error: lastError, attempts: policy.attempts };
}
