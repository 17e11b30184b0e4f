// What the edge answers when no emulator claims a request: the "unknown operation" error in the protocol the
// request was made in, so the SDKs raise a service exception and the AWS CLI prints it, instead of failing to
// parse a body in another protocol ("invalid XML").
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The awsQuery error document (SNS, STS); `namespace` is the service's XML namespace when known. */
export function queryErrorXml(error: { code: string; message: string; senderFault: boolean }, requestId: string, namespace?: string): string {
  const xmlns = namespace === undefined ? '' : ` xmlns="${namespace}"`;
  return (
    `<ErrorResponse${xmlns}><Error><Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

export function answerUnknownOperation(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const requestId = randomUUID();
  const service = signingService(req) ?? 'this';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target !== '') {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId });
    res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `${target} is not supported by the local emulator` }));
    return;
  }
  const action = queryAction(req, body);
  if (action !== undefined) {
    const message = `The action ${action} is not valid for ${service} service in the local emulator.`;
    res.writeHead(400, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(queryErrorXml({ code: 'InvalidAction', message, senderFault: true }, requestId));
    return;
  }
  const payload = JSON.stringify({ message: `No local service answers ${req.method} ${req.url}` });
  res.writeHead(404, {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    'x-amzn-ErrorType': 'UnknownOperationException',
  });
  res.end(payload);
}

/** The Action of an awsQuery request (form-encoded POST, or GET with `?Action=`), else undefined. */
function queryAction(req: IncomingMessage, body: Buffer): string | undefined {
  if (req.method === 'POST' && (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined;
  }
  const url = new URL(req.url ?? '/', 'http://edge');
  return req.method === 'GET' && url.pathname === '/' ? (url.searchParams.get('Action') ?? undefined) : undefined;
}

/** The service a SigV4 request was signed for (`…/us-east-1/sts/aws4_request`). */
export function signingService(req: IncomingMessage): string | undefined {
  return /Credential=[^/,]+\/\d{8}\/[^/,]+\/([^/,]+)\/aws4_request/.exec(req.headers.authorization ?? '')?.[1];
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
