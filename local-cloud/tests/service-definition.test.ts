import { describeLocalCloud, type ResolvedService } from '../service-definition';
import { createTableInput } from '../tables';
import resolved from './fixtures/resolved-service.json';

// The fixture is `osls print --stage local --format json` of the walking skeleton.
const service = resolved as unknown as ResolvedService;

describe('local cloud definition from the resolved Serverless service', () => {
  const definition = describeLocalCloud(service);

  it('finds the tables, topics and the filtered subscription', () => {
    expect(definition.tables.map((t) => t.properties.TableName)).toEqual(['brigade-local-demo']);
    expect(definition.topics.map((t) => t.arn)).toEqual([
      'arn:aws:sns:us-east-1:000000000000:brigade-local-events',
      'arn:aws:sns:us-east-1:000000000000:brigade-local-alerts',
    ]);
    expect(definition.subscriptions).toEqual([
      {
        topicArn: 'arn:aws:sns:us-east-1:000000000000:brigade-local-events',
        protocol: 'lambda',
        functionName: 'brigade-local-recordNoteEvent',
        attributes: { FilterPolicy: '{"type":["demo.note-created"]}', FilterPolicyScope: 'MessageAttributes' },
      },
    ]);
  });

  it('subscribes a queue of the service to a topic, with its raw delivery and filter policy', () => {
    const withQueue = structuredClone(service);
    withQueue.resources!.Resources!.AlertsQueue = { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'brigade-local-alerts-queue' } };
    withQueue.resources!.Resources!.AlertsQueueSubscription = {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'AlertsTopic' },
        Protocol: 'sqs',
        Endpoint: { 'Fn::GetAtt': ['AlertsQueue', 'Arn'] },
        RawMessageDelivery: true,
        FilterPolicyScope: 'MessageAttributes',
        FilterPolicy: { type: ['iot.device-online'] },
      },
    };
    expect(describeLocalCloud(withQueue).subscriptions).toContainEqual({
      topicArn: 'arn:aws:sns:us-east-1:000000000000:brigade-local-alerts',
      protocol: 'sqs',
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:brigade-local-alerts-queue',
      attributes: { FilterPolicy: '{"type":["iot.device-online"]}', FilterPolicyScope: 'MessageAttributes', RawMessageDelivery: 'true' },
    });
  });

  it('maps the topic rule and its error action to function names', () => {
    expect(definition.rules).toEqual([
      expect.objectContaining({
        name: 'brigade_local_demo_telemetry',
        sqlVersion: '2016-03-23',
        actions: [{ lambda: { functionName: 'brigade-local-ingestTelemetry' } }],
        errorAction: { lambda: { functionName: 'brigade-local-recordRuleError' } },
      }),
    ]);
  });

  it('rejects a rule action the local cloud cannot run instead of ignoring it', () => {
    const broken = structuredClone(service);
    const rule = broken.resources!.Resources!.DemoTelemetryRule!.Properties!.TopicRulePayload as { Actions: unknown[] };
    rule.Actions = [{ Firehose: { DeliveryStreamName: 's' } }];
    expect(() => describeLocalCloud(broken)).toThrow(/Firehose.*not supported/);
  });

  it('turns CloudFormation table properties into CreateTable input', () => {
    const input = createTableInput(definition.tables[0]!.properties);
    expect(input).toMatchObject({
      TableName: 'brigade-local-demo',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });
});
