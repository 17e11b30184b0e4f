// The IoT control-plane emulator of the embedded local cloud, and the stack's IoT policies it starts with.
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../types';

export { createIotControlPlane, type IotControlPlane, type IotControlPlaneOptions } from './control-plane-service';
export { evaluatePolicies, type PolicyDocument } from './policy-evaluator';

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/**
 * The `AWS::IoT::Policy` resources of the resolved service, with the pseudo parameters CloudFormation would
 * substitute (`Fn::Sub`, `Fn::Join`). `${!x}` stays the literal `${x}`: IoT policy variables.
 */
export function iotPoliciesOf(
  resources: Record<string, CfnResource>,
  env: { region?: string; accountId?: string } = {},
): Array<{ name: string; document: string }> {
  const pseudo: Record<string, string> = {
    'AWS::Region': env.region ?? LOCAL_REGION,
    'AWS::AccountId': env.accountId ?? LOCAL_ACCOUNT_ID,
    'AWS::Partition': 'aws',
  };
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IoT::Policy')
    .map(([logicalId, r]) => ({
      name: String(r.Properties?.PolicyName ?? logicalId),
      document: JSON.stringify(resolveIntrinsics(r.Properties?.PolicyDocument, pseudo)),
    }));
}

function resolveIntrinsics(value: unknown, pseudo: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, pseudo));
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  // Both forms: `Fn::Sub: text` and `Fn::Sub: [text, { name: value }]` (the packaged template's, after the nested
  // stack split rewrites every Sub into the second form).
  const sub = node['Fn::Sub'];
  if (typeof sub === 'string' || (Array.isArray(sub) && typeof sub[0] === 'string')) {
    const [text, variables] = typeof sub === 'string' ? [sub, {}] : (sub as [string, Record<string, unknown>?]);
    return text.replace(/\$\{(!?)([^}]+)\}/g, (whole, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      const resolved = name in (variables ?? {}) ? resolveIntrinsics(variables![name], pseudo) : pseudo[name];
      if (typeof resolved !== 'string') throw new Error(`Fn::Sub refers to ${name}, which the local cloud cannot resolve`);
      return resolved;
    });
  }
  if (Array.isArray(node['Fn::Join'])) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => resolveIntrinsics(p, pseudo)).join(separator);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveIntrinsics(v, pseudo)]));
}
