// The HTTP handler kit: every API route is `httpRoute({ route, ...schemas }, handler)` (or `publicRoute`).
// Fixed order: correlation id → policy → access token (401) → role (403) → site (403) → params/query (400)
// → size limit (413) → JSON body (400/415) → body schema (400) → handler → JSON response or JSON error;
// the business metrics the handler recorded are written last (metrics.ts).
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import * as accessTokens from './access-token';
import type { AccessTokenSettings } from './access-token';
import {
  BadRequestError,
  ForbiddenError,
  HttpError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
import { canAccessSite, type Caller } from './identity';
import { logger } from './logger';
import { metricsFlush } from './metrics';
import type { Policy, PolicyTable } from './policies';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** The per-request log line's message: dev/offline-log.ts recognises this text and shows one short line. */
const REQUEST_LOG_MESSAGE = 'request';

export interface RouteDeclaration<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType, K extends string = string> {
  /** `METHOD /path` exactly as in functions.yml; its policy comes from the domain's policies.ts. */
  route: K | '$default';
  body?: B;
  params?: P;
  query?: Q;
  /** Bytes; requests over it get 413 before any parsing. */
  bodyLimit?: number;
}

export interface RouteInput<B, P, Q, C = Caller> {
  caller: C;
  body: B;
  params: P;
  query: Q;
  headers: Record<string, string | undefined>;
  correlationId: string;
  event: APIGatewayProxyEventV2;
  context: Context;
}

export interface HttpResult {
  status?: number;
  body?: unknown;
  /**
   * An already-serialised body, sent byte for byte (idempotent replays). Wins over `body`. Also the way to answer
   * something other than JSON (a CSV export): give its `content-type` in `headers`, which replace the default
   * JSON one; the security headers stay.
   */
  rawBody?: string;
  headers?: Record<string, string>;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type Route<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType> = Handler & { declaration: RouteDeclaration<B, P, Q> };

type PolicyLookup = (route: string) => Policy | undefined;
type VerifyCaller = (event: APIGatewayProxyEventV2) => Promise<Caller>;

const lookupIn =
  (policies: PolicyTable): PolicyLookup =>
  (route) =>
    Object.hasOwn(policies, route) ? policies[route] : undefined;

/**
 * The builder of a domain's routes that need a verified caller, bound to its policy table (the policy says which
 * roles and which site). A route's key must be in the table, so a typo does not compile. A domain's policies.ts
 * binds it with a `@__PURE__` call, so a bundle that builds no protected route (GET /health) drops it, and with it
 * the access-token verifier: jose, the DynamoDB client and the revocations read.
 */
export function protectedRoutes<T extends PolicyTable>(policies: T) {
  const policyFor = lookupIn(policies);
  let tokenSettings: AccessTokenSettings | undefined;
  const verifyCaller: VerifyCaller = (event) => {
    tokenSettings ??= accessTokens.accessTokenSettingsFromEnv();
    return accessTokens.verifyAccessToken(accessTokens.bearerToken(event.headers ?? {}), tokenSettings);
  };
  return <B extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
    declaration: RouteDeclaration<B, P, Q, Extract<keyof T, string>>,
    handle: (input: RouteInput<z.infer<B>, z.infer<P>, z.infer<Q>>) => Promise<HttpResult>,
  ): Route<B, P, Q> => buildRoute(declaration, policyFor, verifyCaller, handle as never);
}

/** The builder of a domain's routes anyone may call (the policy says so and why); see protectedRoutes. */
export function publicRoutes<T extends PolicyTable>(policies: T) {
  const policyFor = lookupIn(policies);
  return <B extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
    declaration: RouteDeclaration<B, P, Q, Extract<keyof T, string>>,
    handle: (input: RouteInput<z.infer<B>, z.infer<P>, z.infer<Q>, undefined>) => Promise<HttpResult>,
  ): Route<B, P, Q> => buildRoute(declaration, policyFor, undefined, handle as never);
}


const DEFAULT_ROUTE_POLICY: Policy = { public: true, why: 'answers 404/405 for paths no route claims' };

function buildRoute<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType>(
  declaration: RouteDeclaration<B, P, Q>,
  policyFor: PolicyLookup,
  verifyCaller: VerifyCaller | undefined,
  handle: (input: RouteInput<unknown, unknown, unknown, Caller | undefined>) => Promise<HttpResult>,
): Route<B, P, Q> {
  const kind = verifyCaller ? 'protected' : 'public';
  const limit = declaration.bodyLimit ?? DEFAULT_BODY_LIMIT_BYTES;
  const policy = declaration.route === '$default' ? DEFAULT_ROUTE_POLICY : policyFor(declaration.route);
  // Deny by default: a route without a policy, or whose kind disagrees with it, answers nothing but 403.
  const misdeclared =
    !policy ? `no policy for ${declaration.route}` : (policy.public === true) !== (kind === 'public') ? `policy of ${declaration.route} is not ${kind}` : undefined;

  const answer = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const correlationId = correlationIdOf(event);
    try {
      if (misdeclared || !policy) {
        logger.error('route refused: misdeclared policy', { problem: misdeclared });
        throw new ForbiddenError('This route has no access policy');
      }
      let caller: Caller | undefined;
      if (policy.public !== true) {
        if (!verifyCaller) throw new ForbiddenError('This route has no access policy');
        caller = await verifyCaller(event);
        logger.appendKeys({ userId: caller.userId, role: caller.role });
        if (!policy.roles.includes(caller.role)) throw new ForbiddenError('Your role may not do this');
      }
      // Membership is an exact string match against the token, so it needs no validation first: a caller
      // learns nothing about another site's objects, not even whether their ids are well-formed.
      if (caller && policy.public !== true && policy.site) {
        const source = policy.site === 'path' ? event.pathParameters : event.queryStringParameters;
        if (!source?.siteId || !canAccessSite(caller, source.siteId)) throw new ForbiddenError('Not a member of this site');
      }
      const params = validate('params', declaration.params, declaration.params ? (event.pathParameters ?? {}) : undefined);
      const query = validate('query', declaration.query, declaration.query ? (event.queryStringParameters ?? {}) : undefined);
      // The fallback route answers 404/405 whatever the request carries: its body is never read.
      const rawBody = declaration.route === '$default' ? undefined : readBody(event, limit);
      const body = validate('body', declaration.body, parseJson(event, rawBody));
      const result = await handle({ caller, body, params, query, headers: event.headers ?? {}, correlationId, event, context });
      return jsonResponse(result.status ?? 200, result.rawBody ?? result.body, correlationId, result.headers);
    } catch (error) {
      return errorResponse(error, correlationId);
    }
  };

  // One line per request, whatever its outcome: what `npm start` shows, and on AWS the join between the access
  // log's requestId and the correlation id (the access log cannot read headers).
  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = performance.now();
    const response = await answer(event, context);
    logger.info(REQUEST_LOG_MESSAGE, {
      method: event.requestContext?.http?.method,
      path: event.rawPath,
      status: response.statusCode,
      durationMs: Math.round(performance.now() - started),
    });
    return response;
  };

  const wrapped = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer({ canonical: false }))
    .use({
      before: (request) => {
        logger.resetKeys();
        // requestId is API Gateway's: the access log has it, not the correlation id (it cannot read headers).
        const requestId = request.event.requestContext?.requestId;
        logger.appendKeys({ correlationId: correlationIdOf(request.event), route: declaration.route, ...(requestId && { requestId }) });
      },
    })
    .use(metricsFlush())
    .handler(core);
  return Object.assign(wrapped as unknown as Handler, { declaration });
}

function correlationIdOf(event: APIGatewayProxyEventV2): string {
  const given = event.headers?.[CORRELATION_HEADER];
  if (given && CORRELATION_ID.test(given)) return given;
  // Remember a generated id on the event so the logger and the response agree.
  const generated = randomUUID();
  event.headers = { ...(event.headers ?? {}), [CORRELATION_HEADER]: generated };
  return generated;
}

function readBody(event: APIGatewayProxyEventV2, limit: number): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > limit) throw new PayloadTooLargeError(limit);
  return bytes.toString('utf8');
}

function parseJson(event: APIGatewayProxyEventV2, raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(contentType)) throw new UnsupportedMediaTypeError();
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new BadRequestError('Request body is not valid JSON');
  }
  const odd = oddTextIn(value);
  if (odd) throw new ValidationError([{ in: 'body', path: odd.path, message: odd.message }]);
  return value;
}

/** Control characters other than tab and line breaks (U+0000–U+001F, U+007F): matching them is the point. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Half of a surrogate pair, alone. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first string (or key) of a body that holds a control character or half a surrogate pair. Neither is text a
 * person writes, and both cost: a control character stored as 1 byte is 6 in every JSON answer that shows it (a
 * page of DynamoDB's 1 MB could pass Lambda's 6 MB), and half a pair is not UTF-8 at all. Walked without recursion:
 * bodies may nest thousands deep.
 */
function oddTextIn(value: unknown): { path: string; message: string } | undefined {
  // Each node knows its parent, so the path is built only for what is found (copying it per node was quadratic).
  type Node = { value: unknown; key?: string; parent?: Node };
  const pathOf = (node: Node | undefined, key?: string): string => {
    const keys = key === undefined ? [] : [key];
    for (let at = node; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
    return keys.join('.');
  };
  const problem = (text: string) =>
    CONTROL_CHARACTER.test(text)
      ? 'must not hold control characters (tab and line breaks are fine)'
      : LONE_SURROGATE.test(text)
        ? 'must be text: it holds half of a surrogate pair'
        : undefined;
  const stack: Node[] = [{ value }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const current = node.value;
    if (typeof current === 'string') {
      const message = problem(current);
      if (message) return { path: pathOf(node), message };
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, key: String(i), parent: node }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const message = problem(key);
        if (message) return { path: pathOf(node, key), message };
        stack.push({ value: item, key, parent: node });
      }
    }
  }
  return undefined;
}

function validate<S extends z.ZodType>(where: string, schema: S | undefined, value: unknown): z.infer<S> {
  if (!schema) {
    if (where === 'body' && value !== undefined) throw new BadRequestError('This route takes no request body');
    return undefined as z.infer<S>;
  }
  if (where === 'body' && value === undefined) throw new BadRequestError('Request body is required');
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((issue) => ({ in: where, path: issue.path.join('.'), message: issue.message })),
  );
}

// CORS headers are not set here: API Gateway answers preflight and adds them to every response from
// provider.httpApi.cors (ignoring any a function sets), and serverless-offline does the same locally, so headers
// from the function would only be repeated.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'referrer-policy': 'no-referrer',
};

export function jsonResponse(
  status: number,
  body: unknown,
  correlationId: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { ...SECURITY_HEADERS, [CORRELATION_HEADER]: correlationId, ...headers },
    body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  };
}

export function errorResponse(error: unknown, correlationId: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof HttpError) {
    if (error.statusCode >= 500) logger.error('request failed', { error, correlationId });
    else logger.info('request rejected', { status: error.statusCode, code: error.code });
    return jsonResponse(error.statusCode, error.toJSON(), correlationId, error.headers);
  }
  logger.error('unhandled error', { error: error as Error, correlationId });
  return jsonResponse(500, { error: { code: 'INTERNAL', message: 'Internal server error', correlationId } }, correlationId);
}
