// GetRecords without the SDK. DynamoDB Local answers in the AttributeValue JSON that Lambda hands the function, so
// the records go through as parsed; the SDK turned every image into its own types (binaries into bytes, times into
// Date) for the poller to turn back. Under a write burst that ran in the local cloud's process for every record of
// the table, matched by the filter or not, beside the HTTP clients of the benchmarks and tests.
import { LOCAL_REGION } from '../types';

/** A stream record as DynamoDB Local sends it (epoch seconds, AttributeValue JSON images). */
export interface WireRecord {
  eventID?: string;
  eventName?: string;
  eventVersion?: string;
  awsRegion?: string;
  dynamodb?: Record<string, unknown> & { SequenceNumber?: string; ApproximateCreationDateTime?: number };
}

/** A refused request, named by the service's error type (`TrimmedDataAccessException`, …). */
export class StreamsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(`${type}: ${message}`);
    this.name = type;
  }
}

// DynamoDB Local reads the credential from the Authorization header and does not check the signature.
const AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=local/20000101/${LOCAL_REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`;

export async function getRecords(endpoint: string, shardIterator: string, limit: number): Promise<{ Records: WireRecord[]; NextShardIterator?: string }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDBStreams_20120810.GetRecords', authorization: AUTHORIZATION },
    body: JSON.stringify({ ShardIterator: shardIterator, Limit: limit }),
  });
  const body = (await response.json()) as { Records?: WireRecord[]; NextShardIterator?: string; __type?: string; message?: string; Message?: string };
  if (!response.ok) throw new StreamsError(body.__type?.split('#').pop() ?? `HTTP ${response.status}`, body.message ?? body.Message ?? '');
  return { Records: body.Records ?? [], ...(body.NextShardIterator && { NextShardIterator: body.NextShardIterator }) };
}
