import { iotRuleHandler } from '#shared/jobs';
import { ingestTelemetry, rejectMessage } from './ingest';
import { describeIssues, telemetryMessageSchema } from './readings';

// Invoked by the telemetry topic rule (resources.yml) with the rule's SELECT output: the device's JSON plus
// siteId and deviceId from the topic and IoT Core's receive time. Bad readings are kept, never thrown: only a
// failure to store (or a device state that keeps racing) throws, so the message is retried, then kept.
export const handler = iotRuleHandler(
  'ingest-telemetry',
  telemetryMessageSchema,
  (message, job) => ingestTelemetry(message, job.correlationId),
  (payload, issues) => rejectMessage(payload, 'invalid-message', describeIssues(issues)),
);
