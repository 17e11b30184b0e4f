// The awsJson1_1 protocol as SSM and Secrets Manager speak it: POST / with `X-Amz-Target: <prefix><Action>` and a
// JSON body; errors are HTTP 400 whose `__type` names the modeled exception the SDKs turn into their error classes.
// SDKs validate little client-side, so member types are checked here and reported the way AWS reports them.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type JsonObject = Record<string, unknown>;
export type AwsJsonAction = (input: JsonObject) => object;

export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AwsJsonService {
  /** `AmazonSSM.` or `secretsmanager.`: only requests whose target starts with it are claimed. */
  targetPrefix: string;
  actions: ReadonlyMap<string, AwsJsonAction>;
  /** SSM names the error text `message`, Secrets Manager `Message`; the SDKs and the CLI read either. */
  messageKey: 'message' | 'Message';
}

/** Answers and returns true when the request targets the service; returns false without touching it otherwise. */
export function serveAwsJson(service: AwsJsonService, req: IncomingMessage, body: Buffer, res: ServerResponse): boolean {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target.startsWith(service.targetPrefix)) return false;
  const requestId = randomUUID();
  const actionName = target.slice(service.targetPrefix.length);
  try {
    const action = service.actions.get(actionName);
    if (!action) throw new AwsJsonError('UnknownOperationException', `${actionName} is not supported by the local emulator`);
    send(res, 200, action(parseInput(body)), requestId);
  } catch (error) {
    // Anything else is a bug: the edge server logs it and answers 500.
    if (!(error instanceof AwsJsonError)) throw error;
    send(res, 400, { __type: error.type, [service.messageKey]: error.message }, requestId);
  }
  return true;
}

/** AWS's wording for a member that breaks the API model; `value` null reads as a missing member. */
export function validationError(member: string, constraint: string, value?: string | number | null): AwsJsonError {
  const shown = value === undefined ? '' : value === null ? ' null' : ` '${value}'`;
  return new AwsJsonError(
    'ValidationException',
    `1 validation error detected: Value${shown} at '${member}' failed to satisfy constraint: Member must ${constraint}`,
  );
}

export function enumError(member: string, value: string, allowed: readonly string[]): AwsJsonError {
  return validationError(member, `satisfy enum value set: [${allowed.join(', ')}]`, value);
}

export function optionalString(input: JsonObject, key: string): string | undefined {
  return member(input, key, (v): v is string => typeof v === 'string', 'a string');
}

export function requiredString(input: JsonObject, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined) throw validationError(lowerFirst(key), 'not be null', null);
  return value;
}

export function optionalBoolean(input: JsonObject, key: string): boolean | undefined {
  return member(input, key, (v): v is boolean => typeof v === 'boolean', 'a boolean');
}

export function optionalStringList(input: JsonObject, key: string): string[] | undefined {
  const isList = (v: unknown): v is string[] => Array.isArray(v) && v.every((item) => typeof item === 'string');
  return member(input, key, isList, 'a list of strings');
}

/** Epoch seconds with millisecond precision: how awsJson1_1 encodes timestamps. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

function parseInput(body: Buffer): JsonObject {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsJsonError('SerializationException', 'The request body is not valid JSON');
  }
  if (!isObject(parsed)) throw new AwsJsonError('SerializationException', 'The request body must be a JSON object');
  return parsed;
}

function member<T>(input: JsonObject, key: string, check: (v: unknown) => v is T, expected: string): T | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!check(value)) throw new AwsJsonError('SerializationException', `${key} must be ${expected}`);
  return value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lowerFirst(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

function send(res: ServerResponse, status: number, body: object, requestId: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId });
  res.end(JSON.stringify(body));
}
