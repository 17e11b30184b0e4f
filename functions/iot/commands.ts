// Device control: a setpoint or mode, checked against the unit's type and limits, written as the shadow's
// desired state. Every attempt is audited with who, what, when and the result, refused ones included.
import { randomUUID } from 'node:crypto';
import { ConflictError, ServiceUnavailableError, UnprocessableError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { logger } from '#shared/logger';
import { commandStore } from './config';
import { requireDevice } from './devices';
import { commandProblems, type DeviceCommand } from './device-types';
import type { CommandRecord } from './schemas';
import { setDesired } from './shadow';

export async function sendCommand(siteId: string, deviceId: string, request: DeviceCommand, caller: Caller): Promise<CommandRecord> {
  const device = await requireDevice(siteId, deviceId);
  if (device.status !== 'active') throw new ConflictError('The device was decommissioned');
  const base = { commandId: randomUUID(), siteId, deviceId, at: new Date().toISOString(), by: caller.userId, role: caller.role, request };
  const problems = commandProblems(device.type, device.limits, request);
  if (problems.length > 0) {
    await commandStore.putCommand({ ...base, result: 'rejected', reason: problems.join('; ') });
    throw new UnprocessableError('This command is outside what the unit accepts', { problems });
  }
  let shadowVersion: number;
  try {
    ({ version: shadowVersion } = await setDesired(device.thing?.thingName ?? deviceId, request, base.commandId));
  } catch (error) {
    logger.error('shadow update failed', { siteId, deviceId, error: error as Error });
    await commandStore.putCommand({ ...base, result: 'failed', reason: 'the device shadow could not be updated' });
    throw new ServiceUnavailableError('The device shadow could not be updated; try again');
  }
  const accepted: CommandRecord = { ...base, result: 'accepted', shadowVersion };
  await commandStore.putCommand(accepted);
  return accepted;
}
