// An SNS http subscriber served by the test process: a real subscription on a real topic, with a filter policy,
// receiving what the topic delivers over HTTP. Local only (the topic must be able to reach this process).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, sns, tableName, topicArn } from './target';

export interface HttpSubscriber {
  close(): Promise<void>;
}

/** Calls `onMessage` with each delivered envelope (parsed) and its message attributes (name → value). */
export async function subscribeHttp(
  topic: 'events' | 'alerts',
  filterPolicy: Record<string, unknown>,
  onMessage: (envelope: any, attributes: Record<string, string>) => void,
): Promise<HttpSubscriber> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const notification = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        Type: string;
        Message: string;
        MessageAttributes?: Record<string, { Value: string }>;
      };
      if (notification.Type === 'Notification') {
        const attributes = Object.fromEntries(Object.entries(notification.MessageAttributes ?? {}).map(([name, a]) => [name, a.Value]));
        onMessage(JSON.parse(notification.Message), attributes);
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn(topic),
      Protocol: 'http',
      Endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${topic}`,
      Attributes: { FilterPolicy: JSON.stringify(filterPolicy), FilterPolicyScope: 'MessageAttributes' },
      ReturnSubscriptionArn: true,
    }),
  );
  return {
    async close() {
      await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The outbox items of a domain's table still waiting to be published (`filter` narrows them, e.g. to one site). */
export async function outboxItems(domain: string, filter: { FilterExpression: string; ExpressionAttributeValues: Record<string, unknown> }) {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: tableName(domain), ...filter, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
