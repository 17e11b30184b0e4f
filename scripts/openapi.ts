// Renders functions/gateway/openapi.json, the OpenAPI 3.1 document of the HTTP API, from what the code already declares: the
// route table (every domain's functions.yml), each route's policy (public or bearer, roles, site check) and each
// handler's `declaration` (zod schemas of path params, query and body, through z.toJSONSchema). The gateway serves
// the file at GET /openapi.json and renders it at GET /docs. A unit test fails when the file is not what this
// renders: `npm run openapi` rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';
import { resolveService } from '../local-cloud/service-definition';
import { readPolicies, readRouteTable, type RouteEntry } from './route-table';

const root = join(__dirname, '..');
export const OPENAPI_FILE = join(root, 'functions/gateway/openapi.json');
export const LOCAL_SERVER = 'http://127.0.0.1:3000';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };
interface Declaration { route: string; params?: z.ZodType; query?: z.ZodType; body?: z.ZodType; bodyLimit?: number }

const DOMAIN_DESCRIPTIONS: Record<string, string> = {
  gateway: 'Liveness, dependency status and this API description.',
  iot: 'Devices, telemetry, food-safety monitoring, HACCP records and incidents.',
  notifications: 'A user\'s notifications and the notification settings of users and sites.',
  orders: 'Menus, orders, lines, payments and refunds of a site.',
  users: 'Registration, login, sessions, invites, users and sites.',
};

// Every error body is `{ error: { code, message, details? } }` (functions/shared/errors.ts).
const ERRORS: ReadonlyArray<[status: string, code: string, when: string]> = [
  ['400', 'BAD_REQUEST / VALIDATION_FAILED', 'The request is malformed or fails its schema (details: `[{ in, path, message }]`).'],
  ['401', 'UNAUTHORIZED', 'No valid access token.'],
  ['403', 'FORBIDDEN', 'The caller\'s role or site membership does not allow this.'],
  ['404', 'NOT_FOUND', 'The object does not exist (or is not visible to the caller).'],
  ['409', 'CONFLICT', 'The request conflicts with the object\'s current state.'],
  ['413', 'PAYLOAD_TOO_LARGE', 'The request body is over the route\'s size limit.'],
  ['415', 'UNSUPPORTED_MEDIA_TYPE', 'The request body is not application/json.'],
  ['422', 'UNPROCESSABLE', 'The request is well-formed but breaks a business rule.'],
  ['429', 'TOO_MANY_REQUESTS', 'Rate limited; see the retry-after header.'],
];

/** Handlers read their configuration at import: give them the environment the local stage declares. */
export async function loadStageEnvironment(): Promise<void> {
  const service = await resolveService('local', { ...process.env, BRIGADE_BUNDLER: 'none' });
  type Declares = { environment?: Record<string, unknown> };
  for (const declares of [service.provider, ...Object.values(service.functions)] as Declares[]) {
    for (const [name, value] of Object.entries(declares.environment ?? {})) {
      if (typeof value === 'string') process.env[name] ??= value;
    }
  }
}

async function declarationOf(route: RouteEntry): Promise<Declaration | undefined> {
  const functions = parse(readFileSync(join(root, 'functions', route.domain, 'functions.yml'), 'utf8')) as Record<string, { handler: string }>;
  const [file, exported] = functions[route.function]!.handler.split(/\.(?=[^.]+$)/) as [string, string];
  const module = (await import(join(root, `${file}.ts`))) as Record<string, { declaration?: Declaration } | undefined>;
  return module[exported]?.declaration;
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  // Requests are described as the client sends them (the input side of transforms and defaults).
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined, path: string): Array<Record<string, unknown>> {
  const object = schema ? jsonSchema(schema) : {};
  const properties = object.properties ?? {};
  const required = new Set(object.required ?? []);
  const names = Object.keys(properties);
  // A path template's variable is a parameter whether or not the handler validates it.
  if (where === 'path') for (const [, name] of path.matchAll(/\{([^}+]+)\+?\}/g)) if (!names.includes(name!)) names.push(name!);
  return names.map((name) => {
    const { description, ...property } = properties[name] ?? { type: 'string' };
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: property,
    };
  });
}

function policyText(key: string, policies: ReturnType<typeof readPolicies>): { description: string; security: Array<Record<string, string[]>> } {
  const policy = policies[key];
  if (!policy) return { description: '**No policy: answers 403 to everyone.**', security: [] };
  if (policy.public === true) return { description: `Public: ${policy.why}.`, security: [] };
  const lines = [`Bearer access token; roles: ${policy.roles.join(', ')}.`];
  if (policy.site) lines.push(`Site check: the caller must be a member of the site named in the ${policy.site === 'path' ? 'path' : '`siteId` query parameter'} (owners belong to every site).`);
  if (policy.object) lines.push(`Object check: ${policy.object}.`);
  return { description: lines.join('\n\n'), security: [{ bearerAuth: [] }] };
}

export async function buildOpenApi(): Promise<Record<string, unknown>> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; description: string };
  const policies = readPolicies();
  const routes = readRouteTable();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const declaration = await declarationOf(route);
    if (declaration?.route !== key) throw new Error(`${key}: its handler declares ${declaration?.route ?? 'nothing'}`);
    const { description, security } = policyText(key, policies);
    const isPublic = security.length === 0;
    const errors = ERRORS.filter(([status]) => !(isPublic && (status === '401' || status === '403')))
      .filter(([status]) => declaration.body || (status !== '413' && status !== '415'));
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.function,
      tags: [route.domain],
      summary: key,
      description,
      security,
      parameters: [...parameters('path', declaration.params, route.path), ...parameters('query', declaration.query, route.path)],
      ...(declaration.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(declaration.body) } } } } : {}),
      responses: {
        '2XX': { description: 'Success.' },
        ...Object.fromEntries(errors.map(([status]) => [status, { $ref: `#/components/responses/Error${status}` }])),
      },
    };
  }
  const domains = [...new Set(routes.map((r) => r.domain))].sort();
  return {
    openapi: '3.1.1',
    info: { title: 'Brigade API', version: pkg.version, description: `${pkg.description}\n\nGenerated by \`npm run openapi\` (scripts/openapi.ts); do not edit.` },
    servers: [{ url: LOCAL_SERVER, description: 'Local stack (`npm start`)' }],
    tags: domains.map((name) => ({ name, description: DOMAIN_DESCRIPTIONS[name] ?? `The ${name} domain.` })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /auth/login.' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
      },
      responses: Object.fromEntries(
        ERRORS.map(([status, code, when]) => [
          `Error${status}`,
          { description: `${code}: ${when}`, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      ),
    },
  };
}

export async function renderOpenApi(): Promise<string> {
  return `${JSON.stringify(await buildOpenApi(), null, 2)}\n`;
}

if (require.main === module) {
  void (async () => {
    await loadStageEnvironment();
    writeFileSync(OPENAPI_FILE, await renderOpenApi());
    console.log(`wrote ${OPENAPI_FILE}`);
  })();
}
