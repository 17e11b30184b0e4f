// After `npm run package -- --package <dir>` (.ci/run): the stack against CloudFormation's hard limit of 500
// resources per stack, which nothing else checks before a deploy fails on it. Every HTTP function costs about
// five (function, log group, permission, route, integration), so a new domain can cross it; the message says
// how much room is left and what fills the stack.
//
//   npx tsx scripts/check-template.ts <package dir>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CloudFormation's quota of resources in one stack (not adjustable). */
export const STACK_RESOURCE_LIMIT = 500;

export function checkResourceCount(template: { Resources: Record<string, { Type: string }> }, limit = STACK_RESOURCE_LIMIT) {
  const byType = new Map<string, number>();
  for (const { Type } of Object.values(template.Resources)) byType.set(Type, (byType.get(Type) ?? 0) + 1);
  const total = Object.keys(template.Resources).length;
  const heaviest = [...byType].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([type, n]) => `${type} ${n}`).join(', ');
  const summary = `stack: ${total} of ${limit} CloudFormation resources (${limit - total} left; ${heaviest})`;
  return { ok: total <= limit, summary };
}

if (require.main === module) {
  const packageDir = process.argv[2];
  if (!packageDir) {
    console.error('usage: npx tsx scripts/check-template.ts <package dir>');
    process.exit(2);
  }
  const template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  const { ok, summary } = checkResourceCount(template);
  console.log(summary);
  if (!ok) {
    console.error('over CloudFormation\'s limit: split the stack (e.g. a nested stack per domain) before deploying');
    process.exit(1);
  }
}
