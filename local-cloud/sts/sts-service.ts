// AWS STS over the Query protocol, as `aws sts get-caller-identity` and @aws-sdk/client-sts call it: who the local
// credentials are (the local account's root, as LocalStack answers). Other actions get InvalidAction.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT_ID, type EdgeService } from '../types';
import { queryErrorXml, signingService } from '../unknown-operation';

const STS_XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const STS_API_VERSION = '2011-06-15';

export type StsEmulator = EdgeService;

export function createStsEmulator(options: { accountId?: string } = {}): StsEmulator {
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const actions: ReadonlyMap<string, () => string> = new Map([
    [
      'GetCallerIdentity',
      () => `<Arn>arn:aws:iam::${accountId}:root</Arn><UserId>${accountId}</UserId><Account>${accountId}</Account>`,
    ],
  ]);
  return {
    name: 'sts',
    async handle(req: IncomingMessage, body: Buffer, res: ServerResponse) {
      const params = stsParams(req, body);
      if (!params) return false;
      const requestId = randomUUID();
      const action = params.get('Action') ?? '';
      const result = actions.get(action);
      if (!result) {
        const message = `Could not find operation ${action} for version ${params.get('Version') ?? STS_API_VERSION}`;
        send(res, 400, queryErrorXml({ code: 'InvalidAction', message, senderFault: true }, requestId, STS_XML_NAMESPACE), requestId);
        return true;
      }
      const xml =
        `<${action}Response xmlns="${STS_XML_NAMESPACE}"><${action}Result>${result()}</${action}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
      send(res, 200, xml, requestId);
      return true;
    },
  };
}

/** An STS call: form-encoded, signed for sts or naming STS's API version (SNS has its own). */
function stsParams(req: IncomingMessage, body: Buffer): URLSearchParams | undefined {
  if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return undefined;
  const params = new URLSearchParams(body.toString('utf8'));
  if (!params.has('Action')) return undefined;
  return signingService(req) === 'sts' || params.get('Version') === STS_API_VERSION ? params : undefined;
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(xml);
}
