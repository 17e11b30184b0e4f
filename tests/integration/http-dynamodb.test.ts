import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { api, dynamo, tableName, uniqueId } from './support/target';
import { bearer, createSite, createUser, type TestUser } from './support/identity';

describe('walking skeleton: HTTP → Lambda → DynamoDB', () => {
  let siteId: string;
  let replaySite: string;
  let staff: TestUser;
  let auth: Record<string, string>;
  beforeAll(async () => {
    [siteId, replaySite] = await Promise.all([createSite(), createSite()]);
    staff = await createUser('staff', [siteId, replaySite]);
    auth = bearer(staff);
  });

  it('creates a note that is in the table and readable over HTTP', async () => {
    const created = await api('POST', `/demo/sites/${siteId}/notes`, {
      body: { text: 'Walk-in door seal is torn' },
      headers: { 'idempotency-key': uniqueId('key'), ...auth },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/demo/sites/${siteId}/notes/${created.json.noteId}`);

    const { Item } = await dynamo.send(
      new GetCommand({ TableName: tableName('demo'), Key: { pk: `SITE#${siteId}#NOTE#${created.json.noteId}`, sk: 'NOTE' } }),
    );
    expect(Item).toMatchObject({ siteId, text: 'Walk-in door seal is torn' });

    const read = await api('GET', `/demo/sites/${siteId}/notes/${created.json.noteId}`, { headers: auth });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ siteId, noteId: created.json.noteId, text: 'Walk-in door seal is torn' });
  });

  it('a missing note → 404 JSON', async () => {
    const res = await api('GET', `/demo/sites/${siteId}/notes/does-not-exist`, { headers: auth });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
  });

  it('concurrent replays of one Idempotency-Key create one note and identical responses', async () => {
    const key = uniqueId('key');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api('POST', `/demo/sites/${replaySite}/notes`, { body: { text: 'once' }, headers: { 'idempotency-key': key, ...auth } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);

    const { Items = [] } = await dynamo.send(
      new ScanCommand({
        TableName: tableName('demo'),
        FilterExpression: 'siteId = :site AND sk = :note',
        ExpressionAttributeValues: { ':site': replaySite, ':note': 'NOTE' },
      }),
    );
    expect(Items.map((item) => item.noteId)).toEqual([responses[0]!.json.noteId]);
  });

  it('the same Idempotency-Key with another body → 422', async () => {
    const key = uniqueId('key');
    const first = await api('POST', `/demo/sites/${siteId}/notes`, { body: { text: 'a' }, headers: { 'idempotency-key': key, ...auth } });
    expect(first.status).toBe(201);
    const second = await api('POST', `/demo/sites/${siteId}/notes`, { body: { text: 'b' }, headers: { 'idempotency-key': key, ...auth } });
    expect(second.status).toBe(422);
    expect(second.json.error.code).toBe('UNPROCESSABLE');
  });
});
