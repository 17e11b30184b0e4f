// The archive domain's table (functions/archive/archive-store.ts) as the integration tests read it, and its replay
// function invoked as scripts/replay.ts invokes it.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, eventually, region, stage, tableName } from './target';

export interface ArchivedItem {
  pk: string;
  sk: string;
  eventId: string;
  type: string;
  topicArn: string;
  message: string;
  attributes: Record<string, { Type: string; Value: string }>;
  expiresAt: number;
}

/** A site's archived events in the table's order (every page). */
export async function archivedOf(siteId: string): Promise<ArchivedItem[]> {
  const items: ArchivedItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({ TableName: tableName('archive'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${siteId}` }, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as ArchivedItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Waits until the site's archive holds these event ids (and returns it all). */
export const archivedEventually = (siteId: string, eventIds: string[], timeoutMs = 15_000) =>
  eventually(async () => {
    const items = await archivedOf(siteId);
    return eventIds.every((id) => items.some((item) => item.eventId === id)) ? items : undefined;
  }, timeoutMs, `${eventIds.join(', ')} in the archive of ${siteId}`);

const endpoint = process.env.AWS_ENDPOINT_URL_LAMBDA ?? process.env.AWS_ENDPOINT_URL;
const lambda = new LambdaClient({ region, ...(endpoint && { endpoint }) });

export type InvokeResult = { ok: true; payload: any } | { ok: false; error: string };

/** replayArchivedEvents, invoked directly (RequestResponse) with `request`. */
export async function invokeReplay(request: unknown): Promise<InvokeResult> {
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: `brigade-${stage}-replayArchivedEvents`, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(request)) }),
  );
  const text = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
  return result.FunctionError ? { ok: false, error: text } : { ok: true, payload: JSON.parse(text) };
}
