// Business metrics as CloudWatch Embedded Metric Format (EMF): Powertools writes one JSON line to stdout and
// CloudWatch Logs turns it into metrics, so emitting costs no API call and no latency. Namespace `Brigade`.
//
// Dimensions are deliberately few and bounded: every distinct combination is a billed custom metric, so site,
// device, user or order ids never become dimensions (10 sites × 50 devices would be 500 metrics per name; the
// per-site view is a Logs Insights query over the same EMF lines, which carry no ids either, or over the
// domain's own logs). Each metric carries `service` and `stage`, plus at most one dimension of a closed set:
// the order's channel, the alert's type, the notification's channel.
//
// Metrics are buffered during an invocation and written once at its end by the handler kit (`flushMetrics`,
// used by httpRoute, snsEventHandler, scheduledJob and iotRuleHandler), on success and on error alike. A
// metric is recorded where the thing really happened, after its write succeeded: never on an idempotent
// replay, a duplicate delivery or a reading already stored.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

export const METRICS_NAMESPACE = 'Brigade';

export type OrderChannel = 'dine-in' | 'takeaway' | 'delivery';
export type AlertType = 'iot.excursion-started' | 'iot.device-offline';
export type NotificationChannel = 'inbox' | 'realtime' | 'sms' | 'email';

// Built when the first metric is recorded, not at import: most requests record none, and module load is cold start.
let metrics: Metrics | undefined;
const emf = (): Metrics =>
  (metrics ??= new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'brigade',
    defaultDimensions: { stage: process.env.STAGE ?? 'local' },
  }));

// One EMF line holds one set of dimensions, so counts that carry their own dimension are summed here per value
// and written as one line each at the flush (a notification to ten people by SMS is one line `sms: 10`).
const dimensionedCounts = new Map<string, { metric: string; dimension: string; value: string; count: number }>();

function countWithDimension(metric: string, dimension: string, value: string, count = 1): void {
  const key = `${metric}\u0000${dimension}\u0000${value}`;
  const entry = dimensionedCounts.get(key) ?? { metric, dimension, value, count: 0 };
  entry.count += count;
  dimensionedCounts.set(key, entry);
}

/** An order was created (the first request of its idempotency key, not a replay). */
export function recordOrderPlaced(channel: OrderChannel): void {
  countWithDimension('OrdersPlaced', 'channel', channel);
}

/** Readings newly stored by IoT ingest; duplicates of a redelivered message are not counted again. */
export function recordReadingsIngested(count: number): void {
  if (count > 0) emf().addMetric('ReadingsIngested', MetricUnit.Count, count);
}

/** An alert was raised for the first time (an excursion started, a device went offline). */
export function recordAlertRaised(type: AlertType): void {
  countWithDimension('AlertsRaised', 'alertType', type);
}

/** A notification reached a person on one channel: written to their inbox, pushed, or handed to SNS. */
export function recordNotificationSent(channel: NotificationChannel): void {
  countWithDimension('NotificationsSent', 'channel', channel);
}

/** Why the archive did not keep an event it received (functions/archive): each is a breach to look into. */
export type ArchiveRefusal = 'malformed' | 'too-large';

/** An event newly kept in the archive; a redelivery already archived is not counted again. */
export function recordEventArchived(): void {
  emf().addMetric('EventsArchived', MetricUnit.Count, 1);
}

/** An event the archive refused: a malformed envelope, or one too large for an item (sent on to the DLQ). */
export function recordEventNotArchived(reason: ArchiveRefusal): void {
  countWithDimension('EventsNotArchived', 'reason', reason);
}

/**
 * Writes what this invocation recorded and empties the buffer. Nothing is written when nothing was recorded
 * (Powertools would warn "No application metrics to publish" on every request that places no order).
 */
export function flushMetrics(): void {
  for (const { metric, dimension, value, count } of dimensionedCounts.values()) {
    const single = emf().singleMetric();
    single.addDimension(dimension, value);
    single.addMetric(metric, MetricUnit.Count, count); // a single metric writes its line at once
  }
  dimensionedCounts.clear();
  if (metrics?.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** The kit's middleware: flush after the handler, whether it returned or threw. */
export function metricsFlush(): MiddlewareObj {
  return { after: flushMetrics, onError: flushMetrics };
}
