// The packaged stack read as one template: the root's resources and every domain's nested stack's
// (resources/nested-stacks.js), with the references the split rewrote put back, so a test can assert on the
// stack as written (`{ Ref: 'TelemetryStream' }`) wherever the plugin placed each resource.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagedTemplates, type Template } from '../../../scripts/check-template';

type Resource = { Type: string; Properties: Record<string, any> };

/** Replaces `{ Ref: <parameter> }` and `{ Fn::GetAtt: [<stack>, Outputs.<name>] }` by what they stand for. */
function restore(value: unknown, parameters: Record<string, unknown>, outputs: Map<string, Record<string, unknown>>): unknown {
  if (Array.isArray(value)) return value.map((item) => restore(item, parameters, outputs));
  if (!value || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  if (typeof node.Ref === 'string' && node.Ref in parameters) return restore(parameters[node.Ref], parameters, outputs);
  const getAtt = node['Fn::GetAtt'];
  if (Array.isArray(getAtt) && outputs.has(getAtt[0]) && String(getAtt[1]).startsWith('Outputs.')) {
    return restore(outputs.get(getAtt[0])![String(getAtt[1]).slice('Outputs.'.length)], parameters, outputs);
  }
  return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, restore(inner, parameters, outputs)]));
}

export function packagedResources(packageDir: string): Record<string, Resource> {
  const templates = packagedTemplates(packageDir);
  const root = templates[0]!.template;
  const nestedByStack = new Map<string, Template>();
  for (const [id, resource] of Object.entries(root.Resources)) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const file = `cloudformation-template-${id.replace(/NestedStack$/, '')}-nested-stack.json`;
    nestedByStack.set(id, JSON.parse(readFileSync(join(packageDir, file), 'utf8')) as Template);
  }
  const outputs = new Map(
    [...nestedByStack].map(([id, nested]) => [id, Object.fromEntries(Object.entries(nested.Outputs ?? {}).map(([name, o]) => [name, (o as { Value: unknown }).Value]))]),
  );
  const all: Record<string, Resource> = {};
  for (const [id, resource] of Object.entries(root.Resources)) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') all[id] = restore(resource, {}, outputs) as Resource;
  }
  for (const [stackId, nested] of nestedByStack) {
    const parameters = ((root.Resources[stackId]!.Properties as { Parameters?: Record<string, unknown> }).Parameters ?? {});
    for (const [id, resource] of Object.entries(nested.Resources)) all[id] = restore(resource, parameters, outputs) as Resource;
  }
  return all;
}
