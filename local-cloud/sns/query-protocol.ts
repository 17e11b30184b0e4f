// The AWS Query protocol as SNS speaks it: form-encoded requests in, XML responses out.
import type { MessageAttributes } from './filter-policy';

// The namespace of the SNS service model (what the SDK is generated from and AWS puts on the wire);
// the API reference samples show https, and parsers ignore it either way.
export const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const SNS_API_VERSION = '2010-03-31';

export type QueryParams = Map<string, string>;

/** An SNS API error; `code` is the awsQuery error code the SDK maps to its exception classes. */
export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  get senderFault(): boolean {
    return this.status < 500;
  }
}

export const invalidParameter = (message: string) => new SnsError('InvalidParameter', `Invalid parameter: ${message}`);
export const invalidParameterValue = (message: string) => new SnsError('ParameterValueInvalid', message);
export const notFound = (message: string) => new SnsError('NotFound', message, 404);

export function parseQuery(text: string): QueryParams {
  return new Map(new URLSearchParams(text));
}

export function required(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') throw invalidParameter(`${name} Reason: no value for required parameter`);
  return value;
}

/** The entries of a serialized map (`Prefix.entry.N.*`), in index order, each with the `Prefix.entry.N.` part removed. */
function mapEntries(params: QueryParams, prefix: string): QueryParams[] {
  return groupedEntries(params, `${prefix}.entry.`);
}

function groupedEntries(params: QueryParams, head: string): QueryParams[] {
  const groups = new Map<number, QueryParams>();
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf('.');
    const index = Number(rest.slice(0, dot));
    if (dot < 1 || !Number.isInteger(index)) continue;
    const group = groups.get(index) ?? new Map<string, string>();
    group.set(rest.slice(dot + 1), value);
    groups.set(index, group);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** The members of a serialized list of structures (`Prefix.member.N.*`), in index order, each with `Prefix.member.N.` removed. */
export function memberEntries(params: QueryParams, prefix: string): QueryParams[] {
  return groupedEntries(params, `${prefix}.member.`);
}

/** A string map such as `Attributes.entry.N.key` / `Attributes.entry.N.value`. */
export function readStringMap(params: QueryParams, prefix: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of mapEntries(params, prefix)) {
    const key = entry.get('key');
    if (key !== undefined) map[key] = entry.get('value') ?? '';
  }
  return map;
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
export function readMessageAttributes(params: QueryParams, prefix = 'MessageAttributes'): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (const entry of mapEntries(params, prefix)) {
    const name = entry.get('Name');
    if (name === undefined) continue;
    const stringValue = entry.get('Value.StringValue');
    const binaryValue = entry.get('Value.BinaryValue');
    attributes[name] = {
      DataType: entry.get('Value.DataType') ?? '',
      ...(stringValue !== undefined && { StringValue: stringValue }),
      ...(binaryValue !== undefined && { BinaryValue: binaryValue }),
    };
  }
  return attributes;
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // XML parsers normalise raw CR/LF, so they travel as character references to survive the round trip.
  '\r': '&#x0D;',
  '\n': '&#x0A;',
};

export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\r\n]/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

/** `<name>content</name>` where content is already XML. */
export function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

/** A text element, omitted when the value is undefined. */
export function textElement(name: string, value: string | undefined): string {
  return value === undefined ? '' : element(name, escapeXml(value));
}

export function memberList(name: string, members: string[]): string {
  return element(name, members.map((member) => element('member', member)).join(''));
}

export function entryMap(name: string, map: Record<string, string>): string {
  const entries = Object.entries(map).map(([key, value]) =>
    element('entry', textElement('key', key) + textElement('value', value)),
  );
  return element(name, entries.join(''));
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata></ActionResponse>`. */
export function successXml(action: string, result: string | undefined, requestId: string): string {
  const body =
    (result === undefined ? '' : element(`${action}Result`, result)) +
    element('ResponseMetadata', textElement('RequestId', requestId));
  return `<${action}Response xmlns="${SNS_XML_NAMESPACE}">${body}</${action}Response>`;
}

export function errorXml(error: SnsError, requestId: string): string {
  const detail =
    textElement('Type', error.senderFault ? 'Sender' : 'Receiver') +
    textElement('Code', error.code) +
    textElement('Message', error.message);
  const body = element('Error', detail) + textElement('RequestId', requestId);
  return `<ErrorResponse xmlns="${SNS_XML_NAMESPACE}">${body}</ErrorResponse>`;
}
