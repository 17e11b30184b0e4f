// The subset of the REST Client (VS Code) .http format that the examples use, parsed and resolved without I/O:
//
//   @name = value                 file variable; may reference others; resolved at each use, as REST Client does
//   ###  [text]                   separates requests
//   # comment  /  // comment      the first plain comment of a request is what it shows
//   # @name login                 names the request: later ones read {{login.response.body.$.accessToken}}
//   # @expect 401 [403 …]         runner only: this status is the point of the example (anything else fails)
//   # @retry-until $.path         runner only: re-send (at most ~15 s) until the path exists in the JSON response
//   METHOD url [HTTP/1.1]         then `Name: value` headers, a blank line, and the body up to the next ###
//
// Templates: {{variable}}, {{request.response.body.$.json.path[0]}}, {{request.response.body.*}},
// {{request.response.headers.Name}}, {{$guid}} / {{$uuid}} / {{$random.uuid}}, {{$timestamp}},
// {{$randomInt min max}}, {{$processEnv NAME}}. Anything else is an error naming the template, never left as is.
import { randomInt, randomUUID } from 'node:crypto';

export interface HttpRequestSpec {
  /** 1-based line of the request line, for messages. */
  line: number;
  name?: string;
  description?: string;
  /** Statuses the example expects; empty = any 2xx. */
  expect: number[];
  retryUntil?: string;
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body?: string;
}

export interface HttpFile {
  variables: Map<string, string>;
  requests: HttpRequestSpec[];
}

export class HttpFileError extends Error {}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const REQUEST_LINE = new RegExp(`^(${METHODS.join('|')})\\s+(\\S+)(\\s+HTTP/\\d(\\.\\d)?)?$`);
const VARIABLE_LINE = /^@([A-Za-z_][\w-]*)\s*=\s*(.*)$/;
const DIRECTIVE = /^(?:#|\/\/)\s*@([\w-]+)\s*(.*)$/;
const COMMENT = /^(?:#|\/\/)\s?(.*)$/;
const HEADER = /^([!#$%&'*+.^_`|~\w-]+):\s*(.*)$/;

export function parseHttpFile(text: string): HttpFile {
  const variables = new Map<string, string>();
  const requests: HttpRequestSpec[] = [];
  const lines = text.split(/\r?\n/);
  let block: Array<{ text: string; line: number }> = [];
  const flush = () => {
    const request = parseBlock(block, variables);
    if (request) requests.push(request);
    block = [];
  };
  lines.forEach((raw, index) => {
    if (/^###/.test(raw)) flush();
    else block.push({ text: raw, line: index + 1 });
  });
  flush();
  return { variables, requests };
}

function parseBlock(block: Array<{ text: string; line: number }>, variables: Map<string, string>): HttpRequestSpec | undefined {
  let name: string | undefined;
  let description: string | undefined;
  let retryUntil: string | undefined;
  const expect: number[] = [];
  let i = 0;
  for (; i < block.length; i++) {
    const { text, line } = block[i]!;
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const variable = VARIABLE_LINE.exec(trimmed);
    if (variable) {
      variables.set(variable[1]!, variable[2]!.trim());
      continue;
    }
    const directive = DIRECTIVE.exec(trimmed);
    if (directive) {
      const [, key, value] = directive as unknown as [string, string, string];
      if (key === 'name') name = value.trim();
      else if (key === 'expect') {
        for (const status of value.trim().split(/\s+/)) {
          if (!/^[1-5]\d\d$/.test(status)) throw new HttpFileError(`line ${line}: @expect takes HTTP statuses, not "${status}"`);
          expect.push(Number(status));
        }
      } else if (key === 'retry-until') {
        if (!value.trim().startsWith('$')) throw new HttpFileError(`line ${line}: @retry-until takes a JSON path starting with $`);
        retryUntil = value.trim();
      } else throw new HttpFileError(`line ${line}: unknown directive @${key}`);
      continue;
    }
    const comment = COMMENT.exec(trimmed);
    if (comment) {
      description ??= comment[1]!.trim() || undefined;
      continue;
    }
    break;
  }
  if (i === block.length) {
    if (name || expect.length > 0 || retryUntil) throw new HttpFileError(`line ${block[0]?.line ?? 1}: directives without a request`);
    return undefined;
  }
  const { text: requestText, line } = block[i]!;
  const requestLine = REQUEST_LINE.exec(requestText.trim());
  if (!requestLine) throw new HttpFileError(`line ${line}: expected "METHOD url", got "${requestText.trim()}"`);
  const headers: Array<[string, string]> = [];
  for (i++; i < block.length && block[i]!.text.trim() !== ''; i++) {
    const header = HEADER.exec(block[i]!.text.trim());
    if (!header) throw new HttpFileError(`line ${block[i]!.line}: expected a "Name: value" header, got "${block[i]!.text.trim()}"`);
    headers.push([header[1]!, header[2]!.trim()]);
  }
  const body = block
    .slice(i + 1)
    .map((l) => l.text)
    .join('\n')
    .trim();
  return { line, name, description, expect, retryUntil, method: requestLine[1]!, url: requestLine[2]!, headers, ...(body && { body }) };
}

export interface RecordedResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface ResolveContext {
  variables: Map<string, string>;
  responses: Map<string, RecordedResponse>;
  env: Record<string, string | undefined>;
}

const MAX_DEPTH = 10;

/** Replaces every {{…}} in `template`; throws on anything it cannot resolve. */
export function resolveTemplate(template: string, context: ResolveContext, depth = 0): string {
  if (depth > MAX_DEPTH) throw new HttpFileError(`variables nest deeper than ${MAX_DEPTH} levels (a cycle?) in "${template}"`);
  return template.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => resolveExpression(expression, context, depth));
}

function resolveExpression(expression: string, context: ResolveContext, depth: number): string {
  if (expression.startsWith('$')) return systemVariable(expression, context.env);
  const file = context.variables.get(expression);
  if (file !== undefined) return resolveTemplate(file, context, depth + 1);
  const reference = /^([\w-]+)\.response\.(body|headers)\.(.+)$/.exec(expression);
  if (reference) {
    const [, name, part, selector] = reference as unknown as [string, string, 'body' | 'headers', string];
    const response = context.responses.get(name);
    if (!response) throw new HttpFileError(`{{${expression}}}: no response of a request named "${name}" yet`);
    if (part === 'headers') {
      const value = response.headers.get(selector);
      if (value === null) throw new HttpFileError(`{{${expression}}}: the response of "${name}" has no ${selector} header`);
      return value;
    }
    if (selector === '*') return response.text;
    const value = jsonPath(response.json, selector);
    if (value === undefined) throw new HttpFileError(`{{${expression}}}: nothing at ${selector} in the response of "${name}"`);
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  throw new HttpFileError(`{{${expression}}}: no such variable`);
}

function systemVariable(expression: string, env: Record<string, string | undefined>): string {
  const [name, ...args] = expression.split(/\s+/);
  switch (name) {
    case '$guid':
    case '$uuid':
    case '$random.uuid':
      return randomUUID();
    case '$timestamp':
      return String(Math.floor(Date.now() / 1000));
    case '$randomInt': {
      const [min, max] = args.map(Number);
      if (!Number.isInteger(min) || !Number.isInteger(max) || max! <= min!) throw new HttpFileError(`{{${expression}}}: needs two integers, min < max`);
      return String(randomInt(min!, max!));
    }
    case '$processEnv': {
      const value = args[0] ? env[args[0]] : undefined;
      if (value === undefined) throw new HttpFileError(`{{${expression}}}: ${args[0] ?? 'a variable name'} is not set in the environment`);
      return value;
    }
    default:
      throw new HttpFileError(`{{${expression}}}: unsupported system variable`);
  }
}

/** `$`, `.key`, `['key']` and `[index]` steps: the JSONPath the examples use, no filters or wildcards. */
export function jsonPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new HttpFileError(`"${path}": a JSON path starts with $`);
  const steps = path.slice(1).match(/\.[^.[\]]+|\[\d+\]|\['[^']*'\]|./g) ?? [];
  let current = value;
  for (const step of steps) {
    let key: string | number;
    if (step.startsWith('.')) key = step.slice(1);
    else if (/^\[\d+\]$/.test(step)) key = Number(step.slice(1, -1));
    else if (step.startsWith("['")) key = step.slice(2, -2);
    else throw new HttpFileError(`"${path}": unsupported JSON path step "${step}"`);
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof key === 'number' && !Array.isArray(current)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
