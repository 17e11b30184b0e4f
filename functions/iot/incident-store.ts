// Incidents in the iot table (table.ts has the whole layout):
//   SITE#{site} / INCIDENT#{incident}          an excursion and its corrective actions; `version` guards each write
// Incident ids start with the start time in base 36 (excursion.ts incidentIdOf), so the sort key orders a site's
// incidents by start and a range of ids is a range of start times. Incidents are opened and ended by a device's
// state change (device-store.ts commits them in its transaction); staff append actions and a manager closes.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, isConditionFailure, queryAll, queryPage, VersionConflictError } from '#shared/dynamodb';
import type { CorrectiveAction, IncidentRecord } from './schemas';
import { sitePk, strip } from './table';

export const incidentKey = (siteId: string, incidentId: string) => ({ pk: sitePk(siteId), sk: `INCIDENT#${incidentId}` });

export class IncidentStore {
  constructor(private readonly table: string) {}

  async getIncident(siteId: string, incidentId: string): Promise<IncidentRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: incidentKey(siteId, incidentId), ConsistentRead: true }));
    return Item ? strip<IncidentRecord>(Item) : undefined;
  }

  /** Which of these incidents exist, and whether each has ended (consistent reads). */
  async knownIncidents(siteId: string, incidentIds: Iterable<string>): Promise<Map<string, { ended: boolean }>> {
    const keys = [...incidentIds].map((id) => incidentKey(siteId, id));
    if (keys.length === 0) return new Map();
    const found = await batchGetAll(this.table, keys, { consistentRead: true });
    return new Map(found.map((item) => [String(item.incidentId), { ended: item.endedAt !== undefined }]));
  }

  /** A page of the site's incidents, newest first; the cursor is valid for the same site and status only. */
  async listIncidents(siteId: string, page: { status?: 'open' | 'closed'; limit: number; cursor?: string }) {
    const { items, nextCursor } = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(page.status && { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }),
        ExpressionAttributeValues: { ':pk': sitePk(siteId), ':prefix': 'INCIDENT#', ...(page.status && { ':status': page.status }) },
        ScanIndexForward: false,
        Limit: page.limit,
      },
      page.cursor,
    );
    return { incidents: items.map((item) => strip<IncidentRecord>(item)), nextCursor };
  }

  /** Incidents whose ids sort between `fromId` and `toId` (ids sort by start time), oldest first. */
  async incidentsStartedBetween(siteId: string, fromId: string, toId: string): Promise<IncidentRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': sitePk(siteId), ':from': `INCIDENT#${fromId}`, ':to': `INCIDENT#${toId}` },
    });
    return items.map((item) => strip<IncidentRecord>(item));
  }

  /** Appends a corrective action to the incident, if it is still open and at the version read. */
  async appendAction(incident: IncidentRecord, action: CorrectiveAction): Promise<void> {
    await this.updateAtVersion(incident, {
      UpdateExpression: 'SET actions = list_append(actions, :action), version = :next',
      ConditionExpression: 'version = :expected AND #status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':action': [action], ':open': 'open' },
    });
  }

  /** Closes the incident, if it is still at the version read. */
  async closeIncident(incident: IncidentRecord, closed: Pick<IncidentRecord, 'closedAt' | 'closedBy' | 'closingNote'>): Promise<void> {
    await this.updateAtVersion(incident, {
      UpdateExpression: 'SET #status = :closed, closedAt = :at, closedBy = :by, closingNote = :note, version = :next',
      // The rule that matters is enforced by the write itself: at least one corrective action, excursion over.
      ConditionExpression: 'version = :expected AND #status = :open AND size(actions) > :zero AND attribute_exists(endedAt)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': closed.closedAt, ':by': closed.closedBy, ':note': closed.closingNote ?? null, ':zero': 0 },
    });
  }

  /**
   * An update of `incident` conditional on the version it was read at (`:expected`, moved on to `:next`). When
   * the condition fails, a VersionConflictError: the caller re-reads, checks its rules again, and retries.
   */
  private async updateAtVersion(
    incident: IncidentRecord,
    update: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<void> {
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: incidentKey(incident.siteId, incident.incidentId),
          ...update,
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':expected': incident.version, ':next': incident.version + 1 },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new VersionConflictError('incident');
      throw error;
    }
  }
}
