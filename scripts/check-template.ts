// After `npm run package -- --package <dir>` (.ci/run): the root stack and each domain's nested stack
// (resources/nested-stacks.js) against CloudFormation's hard quotas, which nothing else checks before a deploy fails
// on them (500 resources, 200 parameters, 200 outputs per template), and the root stack for dependency cycles, which
// a reference between the root and a nested stack could create and CloudFormation would only refuse on deploy.
//
//   npx tsx scripts/check-template.ts <package dir>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CloudFormation's quotas per template (not adjustable). */
export const STACK_RESOURCE_LIMIT = 500;
export const STACK_PARAMETER_LIMIT = 200;
export const STACK_OUTPUT_LIMIT = 200;

export interface Template {
  Resources: Record<string, { Type: string; DependsOn?: string | string[]; Properties?: unknown }>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

export function checkResourceCount(template: Template, limit = STACK_RESOURCE_LIMIT, name = 'stack') {
  const byType = new Map<string, number>();
  for (const { Type } of Object.values(template.Resources)) byType.set(Type, (byType.get(Type) ?? 0) + 1);
  const total = Object.keys(template.Resources).length;
  const heaviest = [...byType].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([type, n]) => `${type} ${n}`).join(', ');
  const summary = `${name}: ${total} of ${limit} CloudFormation resources (${limit - total} left; ${heaviest})`;
  return { ok: total <= limit, summary };
}

/** Parameters and outputs of one template against their quotas; the problems found, empty when none. */
export function checkInterfaceCounts(template: Template, name: string): string[] {
  const problems: string[] = [];
  const parameters = Object.keys(template.Parameters ?? {}).length;
  const outputs = Object.keys(template.Outputs ?? {}).length;
  if (parameters > STACK_PARAMETER_LIMIT) problems.push(`${name}: ${parameters} parameters, over CloudFormation's ${STACK_PARAMETER_LIMIT}`);
  if (outputs > STACK_OUTPUT_LIMIT) problems.push(`${name}: ${outputs} outputs, over CloudFormation's ${STACK_OUTPUT_LIMIT}`);
  return problems;
}

/** The resources of `template` that `value` depends on: Ref, Fn::GetAtt and Fn::Sub variables. */
function dependenciesIn(value: unknown, ids: Set<string>, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) dependenciesIn(item, ids, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') {
        if (ids.has(inner)) found.add(inner);
      } else if (key === 'Fn::GetAtt') {
        const id = Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]!;
        if (ids.has(id)) found.add(id);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? String(inner[0]) : String(inner);
        for (const [, id] of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) if (ids.has(id!)) found.add(id!);
        if (Array.isArray(inner)) dependenciesIn(inner[1], ids, found);
      } else dependenciesIn(inner, ids, found);
    }
  }
  return found;
}

/** A dependency cycle among the template's resources, as the ids along it (first = last), or undefined. */
export function findDependencyCycle(template: Template): string[] | undefined {
  const ids = new Set(Object.keys(template.Resources));
  const edges = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const found = dependenciesIn(resource.Properties, ids, new Set());
    for (const dependency of [resource.DependsOn ?? []].flat()) if (ids.has(dependency)) found.add(dependency);
    edges.set(id, [...found]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The root template and every nested one in a package directory, by name. */
export function packagedTemplates(packageDir: string): Array<{ name: string; template: Template }> {
  const nested = readdirSync(packageDir)
    .filter((file) => /^cloudformation-template-.+-nested-stack(-[0-9]+)?\.json$/.test(file))
    .sort();
  return ['cloudformation-template-update-stack.json', ...nested].map((file) => ({
    name: file === 'cloudformation-template-update-stack.json' ? 'root stack' : file.replace(/^cloudformation-template-|\.json$/g, ''),
    template: JSON.parse(readFileSync(join(packageDir, file), 'utf8')) as Template,
  }));
}

/** Every check over a package directory: the lines to print and whether all passed. */
export function checkPackage(packageDir: string): { ok: boolean; lines: string[]; problems: string[] } {
  const lines: string[] = [];
  const problems: string[] = [];
  for (const { name, template } of packagedTemplates(packageDir)) {
    const count = checkResourceCount(template, STACK_RESOURCE_LIMIT, name);
    lines.push(count.summary);
    if (!count.ok) problems.push(`${name} is over CloudFormation's ${STACK_RESOURCE_LIMIT} resources: move more of it into nested stacks (resources/nested-stacks.js)`);
    problems.push(...checkInterfaceCounts(template, name));
    const cycle = findDependencyCycle(template);
    if (cycle) problems.push(`${name} has a dependency cycle CloudFormation would refuse: ${cycle.join(' -> ')}`);
  }
  return { ok: problems.length === 0, lines, problems };
}

if (require.main === module) {
  const packageDir = process.argv[2];
  if (!packageDir) {
    console.error('usage: npx tsx scripts/check-template.ts <package dir>');
    process.exit(2);
  }
  const { ok, lines, problems } = checkPackage(packageDir);
  for (const line of lines) console.log(line);
  for (const problem of problems) console.error(problem);
  if (!ok) process.exit(1);
}
