// HTTP → Lambda → DynamoDB through a real domain's routes, asserted in the table itself: an order placed over HTTP
// is one item in the orders table and reads back over HTTP; concurrent replays of one Idempotency-Key write it once.
// (Pricing, the 422 for a key reused with another body and the rest of the order flow: orders-flow.test.ts.)
import { GetCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { api, dynamo, tableName, uniqueId } from './support/target';
import { bearer, createUser } from './support/identity';
import { expectStatus, orderingSite, placeOrder, type OrderingSite } from './support/orders';

describe('HTTP → Lambda → DynamoDB', () => {
  let site: OrderingSite;
  beforeAll(async () => {
    site = await orderingSite();
  }, 60_000);

  it('an order placed over HTTP is one item in the orders table, readable over HTTP', async () => {
    const placed = await expectStatus(placeOrder(site, site.staff, [{ itemId: site.items.fries, quantity: 2 }]), 201);
    const orderId = placed.json.orderId as string;
    expect(placed.headers.get('location')).toBe(`/sites/${site.siteId}/orders/${orderId}`);

    const { Item } = await dynamo.send(
      new GetCommand({ TableName: tableName('orders'), Key: { pk: `SITE#${site.siteId}#ORDER#${orderId}`, sk: 'ORDER' } }),
    );
    expect(Item).toMatchObject({ siteId: site.siteId, orderId, serverId: site.staff.userId, lines: [expect.objectContaining({ itemId: site.items.fries, quantity: 2 })] });

    const read = await api('GET', `/sites/${site.siteId}/orders/${orderId}`, { headers: bearer(site.staff) });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ siteId: site.siteId, orderId, lines: [expect.objectContaining({ itemId: site.items.fries, quantity: 2 })] });
  });

  it('a missing order → 404 JSON', async () => {
    const res = await api('GET', `/sites/${site.siteId}/orders/does-not-exist`, { headers: bearer(site.staff) });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
  });

  it('concurrent replays of one Idempotency-Key write one order item and identical responses', async () => {
    const server = await createUser('staff', [site.siteId]);
    const headers = { ...bearer(server), 'idempotency-key': uniqueId('key') };
    const body = { channel: { type: 'takeaway' }, lines: [{ itemId: site.items.lemonade, quantity: 1 }] };
    const responses = await Promise.all(Array.from({ length: 10 }, () => api('POST', `/sites/${site.siteId}/orders`, { body, headers })));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);

    const written: Array<Record<string, unknown>> = [];
    const scan = { TableName: tableName('orders'), FilterExpression: 'serverId = :server AND sk = :order', ExpressionAttributeValues: { ':server': server.userId, ':order': 'ORDER' } };
    for await (const page of paginateScan({ client: dynamo }, scan)) written.push(...(page.Items ?? []));
    expect(written.map((item) => item.orderId)).toEqual([responses[0]!.json.orderId]);
  }, 60_000);
});
