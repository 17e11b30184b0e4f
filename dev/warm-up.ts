// Warms the functions that AWS services invoke (the stream's and queues' consumers, the SNS subscribers) before
// `npm start` prints its banner. serverless-offline compiles a handler (through tsx) on its first invocation; on a cold stack
// the first simulation's burst waited on that and ran into the function's timeout, so the rule's error action
// took readings that were fine. One invocation per function loads its module for all later ones.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListSubscriptionsCommand, SNSClient, type Subscription } from '@aws-sdk/client-sns';
import type { BrigadeStack } from './stack';

/** What a warm-up invocation carries: an SNS batch with no records (a no-op), else a message the function rejects. */
export interface WarmUpTarget {
  functionName: string;
  event: unknown;
}

/**
 * The telemetry consumer (functions/iot/functions.yml; its event source, a stream or a queue, in telemetry-*.yml).
 * Every message it gets is either stored or kept as a reject, so the warm-up sends a Kinesis batch (which it takes
 * whichever the transport) of one record it keeps under no site (`siteId: unknown`),
 * marked as the warm-up.
 */
const STREAM_CONSUMERS = ['ingestTelemetry'];
/** Queue consumers for which an empty SQS batch is a no-op that still loads the module (the alerts queue's). */
const EMPTY_BATCH_QUEUE_CONSUMERS = ['notifyAlert'];
export const WARM_UP_MESSAGE = { warmUp: 'npm start' };
export const WARM_UP_BATCH = {
  Records: [
    {
      kinesis: { partitionKey: 'npm-start-warm-up', sequenceNumber: '0', data: Buffer.from(JSON.stringify(WARM_UP_MESSAGE)).toString('base64') },
      eventSource: 'aws:kinesis',
    },
  ],
};

export function warmUpTargets(stage: string, subscriptions: Subscription[]): WarmUpTarget[] {
  const subscribers = subscriptions
    .filter((s) => s.Protocol === 'lambda' && s.Endpoint)
    .map((s) => s.Endpoint!.slice(s.Endpoint!.lastIndexOf(':') + 1));
  const targets = [
    ...STREAM_CONSUMERS.map((name) => ({ functionName: `brigade-${stage}-${name}`, event: WARM_UP_BATCH })),
    ...EMPTY_BATCH_QUEUE_CONSUMERS.map((name) => ({ functionName: `brigade-${stage}-${name}`, event: { Records: [] } })),
    ...subscribers.map((functionName) => ({ functionName, event: { Records: [] } })),
  ];
  // A function on two topics, or on a queue and a topic, is warmed once.
  return targets.filter((target, index) => targets.findIndex((t) => t.functionName === target.functionName) === index);
}

/** Invokes every target once, at most two at a time (a cold compile takes a core); returns the ones that failed. */
export async function warmUp(stack: Pick<BrigadeStack, 'stage' | 'ports' | 'env'>): Promise<string[]> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sns = new SNSClient({ endpoint: `http://127.0.0.1:${stack.ports.edge}`, region: stack.env.AWS_REGION, credentials });
  const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${stack.ports.lambda}`, region: stack.env.AWS_REGION, credentials, maxAttempts: 1 });
  try {
    const subscriptions: Subscription[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sns.send(new ListSubscriptionsCommand({ NextToken }));
      subscriptions.push(...(page.Subscriptions ?? []));
      NextToken = page.NextToken;
    } while (NextToken);

    const queue = warmUpTargets(stack.stage, subscriptions);
    const failed: string[] = [];
    const worker = async () => {
      for (let target = queue.shift(); target; target = queue.shift()) {
        const { functionName, event } = target;
        const result = await lambda
          .send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }))
          .catch((error: Error) => ({ FunctionError: error.message }));
        if (result.FunctionError) failed.push(functionName);
      }
    };
    await Promise.all([worker(), worker()]);
    return failed;
  } finally {
    sns.destroy();
    lambda.destroy();
  }
}
