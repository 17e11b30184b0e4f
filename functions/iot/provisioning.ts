// The IoT control-plane side of a device: its thing, an X.509 certificate with keys, and the least-privilege
// device policy (resources.yml) on the certificate. The same calls run against AWS and the local cloud.
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeEndpointCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  InvalidRequestException,
  ListThingPrincipalsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { DeleteThingShadowCommand, ResourceNotFoundException as ShadowNotFoundException } from '@aws-sdk/client-iot-data-plane';
import { iotClient } from '#shared/clients/iot';
import { iotDataClient } from '#shared/clients/iot-data';
import { ConflictError } from '#shared/errors';
import { logger } from '#shared/logger';
import type { ThingLink } from './schemas';

export interface DeviceCredentials {
  certificateId: string;
  certificatePem: string;
  /** Returned once, in the registration response; Brigade keeps no copy. */
  privateKey: string;
  publicKey: string;
}

/** On AWS the detach calls take a few seconds to propagate; DeleteThing is retried until they have. */
const DELETE_THING_ATTEMPTS = 6;

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`IoT control plane answered without ${what}`);
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ignoreMissing = (error: unknown) => {
  if (!(error instanceof ResourceNotFoundException)) throw error;
};

export async function provisionThing(input: {
  thingName: string;
  siteId: string;
  stage: string;
  policyName: string;
}): Promise<{ thing: ThingLink; credentials: DeviceCredentials; endpoint: string }> {
  const iot = iotClient();
  // The siteId attribute is what the device policy pins the telemetry topic to; the stage keeps two stages in
  // one account from sharing a thing (same name, other attributes → conflict).
  let thingArn: string;
  try {
    const created = await iot.send(
      new CreateThingCommand({ thingName: input.thingName, attributePayload: { attributes: { siteId: input.siteId, stage: input.stage } } }),
    );
    thingArn = required(created.thingArn, 'a thing ARN');
  } catch (error) {
    if (error instanceof ResourceAlreadyExistsException) throw new ConflictError(`An IoT thing named ${input.thingName} already exists in this account`);
    throw error;
  }
  let certificateArn: string | undefined;
  try {
    const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    certificateArn = required(keys.certificateArn, 'a certificate ARN');
    const arn = certificateArn;
    await iot.send(new AttachPolicyCommand({ policyName: input.policyName, target: arn }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: input.thingName, principal: arn }));
    const endpoint =
      process.env.IOT_DATA_ENDPOINT?.trim() || (await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))).endpointAddress;
    const certificateId = required(keys.certificateId, 'a certificate id');
    return {
      thing: { thingName: input.thingName, thingArn, certificateId, certificateArn: arn, policyName: input.policyName },
      credentials: {
        certificateId,
        certificatePem: required(keys.certificatePem, 'a certificate'),
        privateKey: required(keys.keyPair?.PrivateKey, 'a private key'),
        publicKey: required(keys.keyPair?.PublicKey, 'a public key'),
      },
      endpoint: required(endpoint, 'a data endpoint'),
    };
  } catch (error) {
    await undoProvisioning(input.thingName, input.policyName, certificateArn);
    throw error;
  }
}

async function undoProvisioning(thingName: string, policyName: string, certificateArn: string | undefined): Promise<void> {
  const iot = iotClient();
  const steps: Array<() => Promise<unknown>> = [];
  if (certificateArn) {
    const certificateId = certificateArn.slice(certificateArn.lastIndexOf('/') + 1);
    steps.push(
      () => iot.send(new DetachThingPrincipalCommand({ thingName, principal: certificateArn })),
      () => iot.send(new DetachPolicyCommand({ policyName, target: certificateArn })),
      () => iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' })),
      () => iot.send(new DeleteCertificateCommand({ certificateId, forceDelete: true })),
    );
  }
  steps.push(() => iot.send(new DeleteThingCommand({ thingName })));
  for (const step of steps) {
    // Best effort: the original error is what the caller needs to see; leftovers are logged for an operator.
    await step().catch((error: unknown) => logger.error('provisioning clean-up step failed', { thingName, error: error as Error }));
  }
}

/**
 * Decommissioning: every certificate of the thing is revoked (a copy of its key can never connect again) and
 * detached, then the thing and its shadow are deleted. Repeatable: what is already gone is skipped.
 */
export async function retireThing(thingName: string, policyName: string): Promise<{ revoked: string[] }> {
  const iot = iotClient();
  const principals = await iot
    .send(new ListThingPrincipalsCommand({ thingName }))
    .then((r) => r.principals ?? [])
    .catch((error: unknown) => (error instanceof ResourceNotFoundException ? [] : Promise.reject(error)));
  const revoked: string[] = [];
  for (const principal of principals) {
    const certificateId = principal.slice(principal.lastIndexOf('/') + 1);
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'REVOKED' })).catch(ignoreMissing);
    await iot.send(new DetachPolicyCommand({ policyName, target: principal })).catch(ignoreMissing);
    await iot.send(new DetachThingPrincipalCommand({ thingName, principal })).catch(ignoreMissing);
    revoked.push(certificateId);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await iot.send(new DeleteThingCommand({ thingName }));
      break;
    } catch (error) {
      if (!(error instanceof InvalidRequestException) || attempt >= DELETE_THING_ATTEMPTS) throw error;
      // A steady, growing wait rather than backOff's full jitter: nothing races here, and a run of short random
      // waits could give up before the detach has propagated.
      await sleep(attempt * 500);
    }
  }
  const data = await iotDataClient();
  await data.send(new DeleteThingShadowCommand({ thingName })).catch((error: unknown) => {
    if (!(error instanceof ShadowNotFoundException)) throw error;
  });
  return { revoked };
}
