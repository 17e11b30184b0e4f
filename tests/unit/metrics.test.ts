// Business metrics (functions/shared/metrics.ts): the EMF lines the kit writes at the end of an invocation (and
// the HTTP kit's one `request` log line), and that an order counts once when it is really created: not when its
// Idempotency-Key is replayed, not when the write fails, once however often a moving menu made it retry.
import type { APIGatewayProxyEventV2, Context, SNSEvent } from 'aws-lambda';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { flushMetrics, recordAlertRaised, recordNotificationSent, recordOrderPlaced, recordReadingsIngested } from '#shared/metrics';
import { publicRoutes } from '#shared/http';
import { scheduledJob } from '#shared/jobs';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { StaleMenuError } from '../../functions/orders/store';
import { dynamo } from './fixtures/stub-dynamodb';
import { menuItem } from './fixtures/orders';
import { emfLinesOf as printedLines, figuresOf } from './fixtures/emf';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);
// A verified caller without keys or a revocations table: the route's auth is tested in http-kit.test.ts.
jest.mock('../../functions/shared/access-token', () => ({
  accessTokenSettingsFromEnv: () => ({}),
  bearerToken: () => 'token',
  verifyAccessToken: async () => ({ userId: 'u-1', role: 'staff', sites: ['site-1'], sessionId: 's-1' }),
}));
const fakeStore = {
  readForOrder: jest.fn(),
  getSettings: jest.fn(),
  getItems: jest.fn(),
  nextTicket: jest.fn(),
  writeOrder: jest.fn(),
};
jest.mock('../../functions/orders/config', () => ({
  config: { TABLE_NAME: 'brigade-test-orders', EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:brigade-test-events' },
  store: fakeStore,
}));

/** Every EMF line printed while `run` runs, whether it succeeds or throws. */
const emfLinesOf = (run: () => Promise<unknown>) => printedLines(() => run().catch(() => undefined));
const figures = figuresOf;


beforeEach(() => {
  dynamo.reset();
  flushMetrics(); // nothing left over from another test
  jest.clearAllMocks();
});

describe('the EMF lines', () => {
  it('namespace Brigade; service and stage on every line; one dimension of a closed set at most', async () => {
    const lines = await emfLinesOf(async () => {
      recordOrderPlaced('dine-in');
      recordReadingsIngested(3);
      flushMetrics();
    });
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line._aws.CloudWatchMetrics[0]!.Namespace).toBe('Brigade');
      expect(line).toMatchObject({ service: 'brigade', stage: expect.any(String) });
      expect(line._aws.CloudWatchMetrics[0]!.Dimensions[0]!.length).toBeLessThanOrEqual(3);
    }
    expect(figures(lines).sort()).toEqual(['OrdersPlaced{channel=dine-in}: 1', 'ReadingsIngested{}: 3']);
  });

  it('counts are summed per dimension value: one line per channel, not one per notification', async () => {
    const lines = await emfLinesOf(async () => {
      for (let i = 0; i < 10; i++) recordNotificationSent('inbox');
      recordNotificationSent('sms');
      recordNotificationSent('sms');
      recordAlertRaised('iot.excursion-started');
      flushMetrics();
    });
    expect(figures(lines).sort()).toEqual([
      'AlertsRaised{alertType=iot.excursion-started}: 1',
      'NotificationsSent{channel=inbox}: 10',
      'NotificationsSent{channel=sms}: 2',
    ]);
  });

  it('nothing is written when nothing was recorded (no "No application metrics" warning either), and a flush empties the buffer', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await emfLinesOf(async () => flushMetrics())).toEqual([]);
      recordReadingsIngested(0); // a redelivered message whose readings were all stored already
      expect(await emfLinesOf(async () => flushMetrics())).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      stderr.mockRestore();
    }
    recordAlertRaised('iot.device-offline');
    expect(await emfLinesOf(async () => flushMetrics())).toHaveLength(1);
    expect(await emfLinesOf(async () => flushMetrics())).toEqual([]);
  });
});

describe('the handler kit flushes at the end of each invocation', () => {
  const context = { awsRequestId: 'req-1', functionName: 'test' } as Context;

  it('a scheduled job: after it returns, and after it throws', async () => {
    const raises = scheduledJob('raise', async () => recordAlertRaised('iot.device-offline'));
    expect(figures(await emfLinesOf(() => raises({}, context)))).toEqual(['AlertsRaised{alertType=iot.device-offline}: 1']);
    const crashes = scheduledJob('crash', async () => {
      recordAlertRaised('iot.device-offline');
      throw new Error('after the alert was committed');
    });
    expect(figures(await emfLinesOf(() => crashes({}, context)))).toEqual(['AlertsRaised{alertType=iot.device-offline}: 1']);
  });

  it('an HTTP route: one `request` log line per request with its status and API Gateway request id (the access log join)', async () => {
    const publicRoute = publicRoutes({ 'POST /things': { public: true, why: 'a test route' } });
    const crashes = publicRoute({ route: 'POST /things' }, async () => {
      recordOrderPlaced('delivery');
      throw new Error('after the order was written');
    });
    const info = jest.spyOn(logger, 'info');
    const appendKeys = jest.spyOn(logger, 'appendKeys');
    const request = {
      rawPath: '/things',
      headers: { 'x-correlation-id': 'corr-1' },
      requestContext: { http: { method: 'POST', path: '/things' }, requestId: 'api-req-1' },
    } as unknown as APIGatewayProxyEventV2;
    try {
      expect(figures(await emfLinesOf(() => crashes(request, context)))).toEqual(['OrdersPlaced{channel=delivery}: 1']);
      expect(info.mock.calls.filter(([message]) => message === 'request')).toEqual([
        ['request', { method: 'POST', path: '/things', status: 500, durationMs: expect.any(Number) }],
      ]);
      expect(appendKeys).toHaveBeenCalledWith({ correlationId: 'corr-1', route: 'POST /things', requestId: 'api-req-1' });
    } finally {
      info.mockRestore();
      appendKeys.mockRestore();
    }
  });

  it('an SNS consumer: a redelivered event (its receipt already claimed) is skipped and counts nothing', async () => {
    const consumer = snsEventHandler({ tableName: 'brigade-test-notifications', consumer: 'test' }, async () => recordNotificationSent('inbox'));
    const envelope = {
      id: 'evt-1',
      type: 'iot.excursion-started',
      source: 'iot',
      siteId: 'site-1',
      occurredAt: '2026-11-25T10:00:00.000Z',
      correlationId: 'c-1',
      data: {},
    };
    const delivery = { Records: [{ Sns: { MessageId: 'm-1', Message: JSON.stringify(envelope) } }] } as unknown as SNSEvent;
    expect(figures(await emfLinesOf(() => consumer(delivery, context)))).toEqual(['NotificationsSent{channel=inbox}: 1']);
    dynamo.answer = (command) => {
      if (command instanceof PutCommand) throw cancelledCondition();
      return {};
    };
    expect(await emfLinesOf(() => consumer(delivery, context))).toEqual([]);
  });
});

describe('OrdersPlaced (POST /sites/{siteId}/orders)', () => {
  const { handler } = require('../../functions/orders/create-order') as typeof import('../../functions/orders/create-order');
  const burger = menuItem({ itemId: 'burger', name: 'Burger', price: 1250 });
  const body = { channel: { type: 'takeaway' }, lines: [{ itemId: 'burger', quantity: 2 }] };
  const request = (key: string) =>
    ({
      version: '2.0',
      routeKey: 'POST /sites/{siteId}/orders',
      rawPath: '/sites/site-1/orders',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: 'Bearer token' },
      pathParameters: { siteId: 'site-1' },
      requestContext: { http: { method: 'POST', path: '/sites/site-1/orders' }, requestId: 'r-1' },
      body: JSON.stringify(body),
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEventV2;
  const context = { awsRequestId: 'req-1', functionName: 'createOrder', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  const post = async (key: string) => {
    let status: number | undefined;
    const lines = await emfLinesOf(async () => {
      status = ((await handler(request(key), context)) as { statusCode: number }).statusCode;
    });
    return { status, figures: figures(lines) };
  };

  beforeEach(() => {
    fakeStore.readForOrder.mockResolvedValue({
      settings: { siteId: 'site-1', timeZone: 'Europe/Paris', currency: 'EUR', businessDayStartsAt: '04:00' },
      items: new Map([['burger', burger]]),
      idempotencyRecord: undefined,
    });
    fakeStore.nextTicket.mockResolvedValue(7);
    fakeStore.writeOrder.mockResolvedValue(undefined);
  });

  it('counts once per order created, by channel', async () => {
    expect(await post('first-order-key')).toEqual({ status: 201, figures: ['OrdersPlaced{channel=takeaway}: 1'] });
    expect(fakeStore.writeOrder).toHaveBeenCalledTimes(1);
  });

  it('an idempotent replay answers the stored response and counts nothing', async () => {
    expect((await post('replayed-order-key')).status).toBe(201);
    // The key's record as the order's transaction committed it (store.writeOrder's last argument).
    const committed = fakeStore.writeOrder.mock.calls[0][4].Put.Item;
    fakeStore.readForOrder.mockResolvedValueOnce({ ...(await fakeStore.readForOrder.getMockImplementation()?.()), idempotencyRecord: committed });
    expect(await post('replayed-order-key')).toEqual({ status: 201, figures: [] });
    expect(fakeStore.writeOrder).toHaveBeenCalledTimes(1);
  });

  it('a write that fails counts nothing; one retried after a menu change counts once', async () => {
    fakeStore.writeOrder.mockRejectedValueOnce(new Error('DynamoDB is down'));
    expect(await post('failing-order-key')).toEqual({ status: 500, figures: [] });
    fakeStore.writeOrder.mockRejectedValueOnce(new StaleMenuError());
    expect(await post('retried-order-key')).toEqual({ status: 201, figures: ['OrdersPlaced{channel=takeaway}: 1'] });
    expect(fakeStore.writeOrder).toHaveBeenCalledTimes(3);
  });
});

const cancelledCondition = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
