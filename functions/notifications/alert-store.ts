// Critical alerts that need acknowledging, in the notifications table:
//   ALERT#{alertId} / ALERT   who was told, the first acknowledgement, when it was resolved, and the escalation's
//                             state and steps (each owner's SMS outcome); TTL 90 days. While a step is due it
//                             carries escalationShard = ESC#{0..3} and escalationDueAt (epoch ms)
// Index `escalations` (escalationShard, escalationDueAt), keys only, is sparse: it holds only alerts whose next
// step is due, spread over a few shards so no partition takes every alert. Acknowledging, resolving or the last
// step removes both attributes, which takes the alert out of the sweep.
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, type Item } from '#shared/dynamodb';
import type { AlertRecord, EscalationStep } from './schemas';
import { conditionally, getRecord, NOTIFICATION_TTL_SECONDS, nowSeconds, recordOf } from './table';

const ESCALATION_SHARDS = 4;
const ESCALATIONS_INDEX = 'escalations';
const STOP_ESCALATING = 'REMOVE escalationShard, escalationDueAt, escalation.nextAt';

const alertKey = (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' });
const escalationShard = (alertId: string) => `ESC#${createHash('sha256').update(alertId).digest()[0]! % ESCALATION_SHARDS}`;

export class AlertStore {
  constructor(private readonly table: string) {}

  /** Records a critical alert with its first escalation due at `dueAt`; a repeated event keeps the first record. */
  createAlert(alert: AlertRecord, dueAt: number | undefined): Promise<boolean> {
    return conditionally(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...alertKey(alert.alertId),
          ...alert,
          ...(dueAt !== undefined && { escalationShard: escalationShard(alert.alertId), escalationDueAt: dueAt }),
          expiresAt: nowSeconds() + NOTIFICATION_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  getAlert(alertId: string): Promise<AlertRecord | undefined> {
    return getRecord<AlertRecord>(this.table, alertKey(alertId));
  }

  /** The first acknowledgement wins and stops the escalation; later ones get the alert as it is. */
  async acknowledgeAlert(alertId: string, by: string, at: string): Promise<AlertRecord | undefined> {
    try {
      const result = await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: alertKey(alertId),
          UpdateExpression: `SET acknowledged = :ack, escalation.#status = :stopped, escalation.stopReason = :reason ${STOP_ESCALATING}`,
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(acknowledged)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':ack': { by, at }, ':stopped': 'stopped', ':reason': 'acknowledged' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return recordOf<AlertRecord>(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return this.getAlert(alertId);
      throw error;
    }
  }

  /**
   * The condition that ended it (back in range) stops the escalation. If the end arrives before the start (SNS
   * does not keep order), a resolved record is left in the alert's place, so the late start never escalates.
   */
  async resolveAlert(alertId: string, siteId: string, at: string): Promise<void> {
    const resolveExisting = () =>
      conditionally(
        new UpdateCommand({
          TableName: this.table,
          Key: alertKey(alertId),
          UpdateExpression: `SET resolvedAt = if_not_exists(resolvedAt, :at), escalation.#status = :stopped, escalation.stopReason = if_not_exists(escalation.stopReason, :reason) ${STOP_ESCALATING}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':stopped': 'stopped', ':reason': 'resolved' },
        }),
      );
    if (await resolveExisting()) return;
    const placeholder: Partial<AlertRecord> = { alertId, siteId, resolvedAt: at, escalation: { status: 'stopped', stopReason: 'resolved', steps: [] } };
    const placed = await conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { ...alertKey(alertId), ...placeholder, expiresAt: nowSeconds() + NOTIFICATION_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (!placed) await resolveExisting(); // the start was recorded in between
  }

  /** Alert ids whose next escalation step is due by `now` (epoch ms), across the index's shards. */
  async dueAlerts(now: number, limit = 100): Promise<string[]> {
    const shards = Array.from({ length: ESCALATION_SHARDS }, (_, i) => `ESC#${i}`);
    const pages = await Promise.all(
      shards.map((shard) =>
        dynamoDb().send(
          new QueryCommand({
            TableName: this.table,
            IndexName: ESCALATIONS_INDEX,
            KeyConditionExpression: 'escalationShard = :shard AND escalationDueAt <= :now',
            ExpressionAttributeValues: { ':shard': shard, ':now': now },
            Limit: limit,
          }),
        ),
      ),
    );
    return pages.flatMap((page) => (page.Items ?? []).map((item) => String(item.pk).slice('ALERT#'.length)));
  }

  /**
   * Claims escalation step `step` of an alert: only if it is still unacknowledged, unresolved and at step − 1,
   * so two sweeps racing page once. `nextDueAt` undefined means this is the last step.
   */
  claimEscalationStep(alertId: string, step: EscalationStep, nextDueAt: number | undefined): Promise<boolean> {
    const set = ['escalation.steps = list_append(escalation.steps, :step)', 'escalation.#status = :status'];
    const values: Item = { ':step': [step], ':before': step.step - 1 };
    let remove = '';
    if (nextDueAt === undefined) {
      set.push('escalation.stopReason = :reason');
      Object.assign(values, { ':status': 'stopped', ':reason': 'max-repeats-reached' });
      remove = ` ${STOP_ESCALATING}`;
    } else {
      set.push('escalationDueAt = :due', 'escalation.nextAt = :nextAt');
      Object.assign(values, { ':status': 'escalating', ':due': nextDueAt, ':nextAt': new Date(nextDueAt).toISOString() });
    }
    return conditionally(
      new UpdateCommand({
        TableName: this.table,
        Key: alertKey(alertId),
        UpdateExpression: `SET ${set.join(', ')}${remove}`,
        ConditionExpression:
          'attribute_exists(escalationDueAt) AND attribute_not_exists(acknowledged) AND attribute_not_exists(resolvedAt) AND size(escalation.steps) = :before',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Fills in how a claimed step's SMS went (the step was claimed before sending, so it is never sent twice). */
  async recordEscalationOutcome(alertId: string, stepIndex: number, recipients: EscalationStep['recipients']): Promise<void> {
    await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: alertKey(alertId),
        UpdateExpression: `SET escalation.steps[${stepIndex}].recipients = :recipients`,
        ExpressionAttributeValues: { ':recipients': recipients },
      }),
    );
  }
}
