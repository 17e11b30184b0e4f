import type { Context } from 'aws-lambda';
import { logger } from '#shared/logger';
import { ingestTelemetry, type IngestSummary } from './ingest';

// Invoked by the telemetry topic rule (resources/iot.yml) with the rule's SELECT output: the device's JSON plus
// siteId and deviceId from the topic and IoT Core's receive time. Bad readings are kept, never thrown: only a
// failure to store (or a device state that keeps racing) throws, so the message is retried, then kept.
export const handler = async (event: unknown, context: Context): Promise<IngestSummary> => {
  logger.resetKeys();
  logger.appendKeys({ correlationId: context.awsRequestId });
  return ingestTelemetry(event, context.awsRequestId);
};
