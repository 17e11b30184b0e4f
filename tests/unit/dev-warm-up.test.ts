// What `npm start` warms before its banner (dev/warm-up.ts).
import { WARM_UP_BATCH, WARM_UP_MESSAGE, warmUpTargets } from '../../dev/warm-up';

describe('npm start warm-up', () => {
  it('invokes the queue consumers and every SNS-subscribed function once, all but telemetry with an empty batch', () => {
    const lambda = (name: string, topic = 'alerts') => ({
      Protocol: 'lambda',
      TopicArn: `arn:aws:sns:us-east-1:000000000000:brigade-local-${topic}`,
      Endpoint: `arn:aws:lambda:us-east-1:000000000000:function:brigade-local-${name}`,
    });
    const targets = warmUpTargets('local', [
      lambda('notifyOrderReady', 'events'),
      lambda('notifyOrderReady', 'alerts'), // two topics, one function: warmed once
      lambda('notifyAlert'), // also the alerts queue's consumer: warmed once
      lambda('recordDirectoryChange', 'events'),
      { Protocol: 'email', Endpoint: 'chef@example.com', TopicArn: 'arn:aws:sns:us-east-1:000000000000:brigade-local-alerts' },
    ]);
    expect(targets).toEqual([
      { functionName: 'brigade-local-ingestTelemetry', event: WARM_UP_BATCH },
      { functionName: 'brigade-local-notifyAlert', event: { Records: [] } },
      { functionName: 'brigade-local-notifyOrderReady', event: { Records: [] } },
      { functionName: 'brigade-local-recordDirectoryChange', event: { Records: [] } },
    ]);
  });

  it('sends the telemetry target a message it keeps under no site, never a reading of a real device', () => {
    expect(WARM_UP_MESSAGE).not.toHaveProperty('siteId');
    expect(WARM_UP_MESSAGE).not.toHaveProperty('deviceId');
    expect(JSON.parse(Buffer.from(WARM_UP_BATCH.Records[0]!.kinesis.data, 'base64').toString())).toEqual(WARM_UP_MESSAGE);
  });
});
