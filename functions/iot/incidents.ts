// Incidents: staff record what they did about an excursion (the reading is not the record); a manager closes
// the incident, which the store refuses without a corrective action or while the unit is still out of range.
import { randomUUID } from 'node:crypto';
import { retryOnConflict } from '#shared/dynamodb';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { incidentStore } from './config';
import type { CorrectiveActionInput, IncidentRecord } from './schemas';

const MAX_ACTIONS = 50;
/** Each attempt re-reads the incident and checks the rules again; a race lost this often is answered 409. */
const RETRY = { attempts: 5, exhausted: () => new ConflictError('The incident is changing too fast; try again') };

async function requireIncident(siteId: string, incidentId: string): Promise<IncidentRecord> {
  const incident = await incidentStore.getIncident(siteId, incidentId);
  if (!incident) throw new NotFoundError('Incident not found');
  return incident;
}

export const getIncident = requireIncident;

export async function recordCorrectiveAction(siteId: string, incidentId: string, input: CorrectiveActionInput, caller: Caller): Promise<IncidentRecord> {
  return retryOnConflict(async () => {
    const incident = await requireIncident(siteId, incidentId);
    if (incident.status === 'closed') throw new ConflictError('The incident is closed');
    if (incident.actions.length >= MAX_ACTIONS) throw new UnprocessableError(`An incident holds at most ${MAX_ACTIONS} corrective actions`);
    const action = { actionId: randomUUID(), kind: input.kind, ...(input.notes && { notes: input.notes }), by: caller.userId, role: caller.role, at: new Date().toISOString() };
    await incidentStore.appendAction(incident, action);
    return { ...incident, actions: [...incident.actions, action], version: incident.version + 1 };
  }, RETRY);
}

export async function closeIncident(siteId: string, incidentId: string, note: string | undefined, caller: Caller): Promise<IncidentRecord> {
  return retryOnConflict(async () => {
    const incident = await requireIncident(siteId, incidentId);
    if (incident.status === 'closed') throw new ConflictError('The incident is already closed');
    if (incident.actions.length === 0) throw new UnprocessableError('An incident cannot be closed without a corrective action');
    if (incident.endedAt === undefined) throw new UnprocessableError('The unit is still out of range; close the incident once it has recovered');
    const closed = { closedAt: new Date().toISOString(), closedBy: caller.userId, ...(note && { closingNote: note }) };
    await incidentStore.closeIncident(incident, closed);
    return { ...incident, ...closed, status: 'closed' as const, version: incident.version + 1 };
  }, RETRY);
}
