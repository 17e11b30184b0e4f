// Sends the requests of a .http file in order, as an editor's REST client would, and checks each status: any 2xx,
// or exactly what its `# @expect` says. A file stops at its first failure: later requests read earlier responses.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpFileError, jsonPath, parseHttpFile, resolveTemplate, type HttpRequestSpec, type RecordedResponse, type ResolveContext } from './http-file';

export interface RunOptions {
  /** Replaces the file's own `@baseUrl` (the editors' default, http://127.0.0.1:3000). */
  baseUrl?: string;
  /** Replace file variables by name. */
  variables?: Record<string, string>;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
  retryTimeoutMs?: number;
}

export interface RequestOutcome {
  request: HttpRequestSpec;
  method: string;
  path: string;
  status?: number;
  passed: boolean;
  problem?: string;
}

export interface FileRun {
  passed: boolean;
  outcomes: RequestOutcome[];
  /** Responses of the named requests, for callers that check what the examples did. */
  responses: Map<string, RecordedResponse>;
}

const RETRY_INTERVAL_MS = 250;

export async function runHttpText(text: string, options: RunOptions = {}): Promise<FileRun> {
  const log = options.log ?? (() => undefined);
  const file = parseHttpFile(text);
  for (const [name, value] of Object.entries(options.variables ?? {})) file.variables.set(name, value);
  if (options.baseUrl) file.variables.set('baseUrl', options.baseUrl);
  const context: ResolveContext = { variables: file.variables, responses: new Map(), env: options.env ?? process.env };
  const outcomes: RequestOutcome[] = [];
  for (const request of file.requests) {
    const outcome = await send(request, context, options.retryTimeoutMs ?? 15_000);
    outcomes.push(outcome);
    const described = request.description ? `  ${request.description}` : '';
    log(`${outcome.method} ${outcome.path} → ${outcome.status ?? '—'}${described}${outcome.problem ? `\n    ✗ ${outcome.problem}` : ''}`);
    if (!outcome.passed) return { passed: false, outcomes, responses: context.responses };
  }
  return { passed: true, outcomes, responses: context.responses };
}

async function send(request: HttpRequestSpec, context: ResolveContext, retryTimeoutMs: number): Promise<RequestOutcome> {
  let url: URL;
  let init: RequestInit;
  try {
    url = new URL(resolveTemplate(request.url, context));
    const headers = new Headers(request.headers.map(([name, value]) => [name, resolveTemplate(value, context)]));
    init = { method: request.method, headers, body: request.body === undefined ? undefined : resolveTemplate(request.body, context) };
  } catch (error) {
    const problem = error instanceof HttpFileError || error instanceof TypeError ? error.message : String(error);
    return { request, method: request.method, path: request.url, passed: false, problem: `line ${request.line}: ${problem}` };
  }
  const path = `${url.pathname}${url.search}`;
  const deadline = Date.now() + retryTimeoutMs;
  for (;;) {
    let response: RecordedResponse;
    try {
      response = await fetchRecorded(url, init);
    } catch (error) {
      return { request, method: request.method, path, passed: false, problem: `no response from ${url.origin}: ${(error as Error).message}` };
    }
    const expected = request.expect.length > 0 ? request.expect.includes(response.status) : response.status >= 200 && response.status < 300;
    if (!expected) {
      const wanted = request.expect.length > 0 ? request.expect.join(' or ') : 'a 2xx';
      return { request, method: request.method, path, status: response.status, passed: false, problem: `expected ${wanted}: ${response.text.slice(0, 500)}` };
    }
    if (request.name) context.responses.set(request.name, response);
    if (!request.retryUntil || jsonPath(response.json, request.retryUntil) !== undefined) {
      return { request, method: request.method, path, status: response.status, passed: true };
    }
    if (Date.now() > deadline) {
      const problem = `nothing at ${request.retryUntil} after ${retryTimeoutMs / 1000} s: ${response.text.slice(0, 500)}`;
      return { request, method: request.method, path, status: response.status, passed: false, problem };
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
  }
}

async function fetchRecorded(url: URL, init: RequestInit): Promise<RecordedResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function runHttpFile(path: string, options: RunOptions = {}): Promise<FileRun> {
  return runHttpText(readFileSync(path, 'utf8'), options);
}

interface DemoCredential {
  role: string;
  email: string;
  password: string;
}

/**
 * The demo users' emails and passwords as BRIGADE_<ROLE>_EMAIL / _PASSWORD (what the .http files read with
 * {{$processEnv …}}), from the file `npm start` keeps them in; variables already set win.
 */
export function withDemoCredentials(projectRoot: string, env: Record<string, string | undefined>): Record<string, string | undefined> {
  const file = join(projectRoot, '.local', `demo-credentials-${env.BRIGADE_STAGE ?? 'local'}.json`);
  if (!existsSync(file)) return env;
  const credentials = JSON.parse(readFileSync(file, 'utf8')) as DemoCredential[];
  const fromFile = Object.fromEntries(
    credentials.flatMap(({ role, email, password }) => [
      [`BRIGADE_${role.toUpperCase()}_EMAIL`, email],
      [`BRIGADE_${role.toUpperCase()}_PASSWORD`, password],
    ]),
  );
  return { ...fromFile, ...env };
}
