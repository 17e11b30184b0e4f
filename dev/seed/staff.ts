// The demo site's staff profile: the demo staff member works as a server (and sometimes behind the bar), part-time,
// paid by the hour under the US-FLSA pack, with a raise in July, so a newcomer sees a profile with an
// effective-dated wage after `npm start`. Written once, on condition it is new: a profile edited since is kept. The
// staff domain's copy of the directory arrives with the directory events the seed publishes after it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProfileRecord } from '../../functions/staff/schemas';
import { staffKeys } from '../../functions/staff/table';

export async function seedStaffDemo(db: DynamoDBDocumentClient, stage: string, siteId: string, person: { userId: string; name: string }): Promise<number> {
  const now = new Date().toISOString();
  const profile: ProfileRecord = {
    siteId,
    userId: person.userId,
    name: person.name,
    positions: [
      { positionId: 'server', active: true, wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }, { from: '2026-07-01', kind: 'hourly', amount: 1800 }] },
      { positionId: 'bartender', active: true, wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1900 }] },
    ],
    employment: { type: 'part-time', weeklyHours: 24, weeklyDays: 4, restDay: 'sun' },
    payPack: 'us.flsa@2026.1.0',
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: 'demo-seed',
  };
  try {
    await db.send(new PutCommand({ TableName: `brigade-${stage}-staff`, Item: { ...staffKeys.profile(siteId, person.userId), ...profile }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return 1;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 0;
    throw error;
  }
}
