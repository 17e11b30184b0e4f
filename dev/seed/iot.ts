// Demo units for the demo site, registered the way the iot domain stores them (without IoT provisioning: locally
// no certificate is needed to publish), and the site's HACCP settings. Idempotent: conditional writes.
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultLimits, GRACE_PERIOD_MINUTES, REPORTING_INTERVAL_SECONDS, type DeviceType } from '../../functions/iot/device-types';
import type { DeviceRecord, SiteSettings } from '../../functions/iot/schemas';
import { deviceIdClaimKey, deviceKey } from '../../functions/iot/device-store';
import { settingsKey } from '../../functions/iot/settings-store';

export interface DemoUnit {
  deviceId: string;
  type: DeviceType;
  name: string;
  location: string;
}

/** The simulator's default fleet too (`npm run simulate -- --devices 10 --site demo-bistro`). */
export const DEMO_FLEET: readonly DemoUnit[] = [
  { deviceId: 'walkin-1', type: 'fridge', name: 'Walk-in fridge', location: 'Back of house' },
  { deviceId: 'freezer-1', type: 'freezer', name: 'Walk-in freezer', location: 'Back of house' },
  { deviceId: 'hothold-1', type: 'hot-holding', name: 'Pass hot cabinet', location: 'Pass' },
  { deviceId: 'reachin-1', type: 'fridge', name: 'Reach-in, hot line', location: 'Hot line' },
  { deviceId: 'reachin-2', type: 'fridge', name: 'Reach-in, cold line', location: 'Cold line' },
  { deviceId: 'freezer-2', type: 'freezer', name: 'Pastry freezer', location: 'Pastry' },
  { deviceId: 'fryer-1', type: 'fryer', name: 'Fryer', location: 'Hot line' },
  { deviceId: 'oven-1', type: 'oven', name: 'Combi oven', location: 'Hot line' },
  { deviceId: 'drystore-1', type: 'ambient', name: 'Dry store', location: 'Store room' },
  { deviceId: 'walkin-2', type: 'fridge', name: 'Dairy walk-in', location: 'Back of house' },
];

const created = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException) return false;
    throw error;
  }
};

/** Registers units in the iot table as the registry stores them (no IoT provisioning); existing ones are kept. */
export async function registerUnits(db: DynamoDBDocumentClient, table: string, siteId: string, units: readonly DemoUnit[]): Promise<number> {
  const now = new Date().toISOString();
  let count = 0;
  for (const unit of units) {
    const device: DeviceRecord = {
      siteId,
      ...unit,
      limits: defaultLimits(unit.type),
      gracePeriodMinutes: GRACE_PERIOD_MINUTES.default,
      reportingIntervalSeconds: REPORTING_INTERVAL_SECONDS.default,
      status: 'active',
      createdAt: now,
      createdBy: 'seed',
      updatedAt: now,
      version: 1,
      settingsVersion: 1,
      live: { monitor: {} },
    };
    const condition = 'attribute_not_exists(pk)';
    const write = db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { ...deviceIdClaimKey(unit.deviceId), siteId }, ConditionExpression: condition } },
          { Put: { TableName: table, Item: { ...deviceKey(siteId, unit.deviceId), ...device }, ConditionExpression: condition } },
        ],
      }),
    );
    if (await created(write)) count++;
  }
  return count;
}

export async function seedIotDemo(db: DynamoDBDocumentClient, stage: string, siteId: string, timeZone: string): Promise<number> {
  const table = `brigade-${stage}-iot`;
  let count = await registerUnits(db, table, siteId, DEMO_FLEET);
  const settings: SiteSettings = { timeZone, amCheckAt: '09:00', pmCheckAt: '16:00', updatedAt: new Date().toISOString(), updatedBy: 'seed' };
  const putSettings = db.send(
    new PutCommand({ TableName: table, Item: { ...settingsKey(siteId), ...settings }, ConditionExpression: 'attribute_not_exists(pk)' }),
  );
  if (await created(putSettings)) count++;
  return count;
}
