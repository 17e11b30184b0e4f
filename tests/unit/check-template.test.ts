import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkInterfaceCounts, checkPackage, checkResourceCount, findDependencyCycle, type Template } from '../../scripts/check-template';

const templateOf = (counts: Record<string, number>): Template => ({
  Resources: Object.fromEntries(
    Object.entries(counts).flatMap(([type, n]) => Array.from({ length: n }, (_, i) => [`${type.replace(/\W/g, '')}${i}`, { Type: type }])),
  ),
});

describe('the stack resource check', () => {
  it('passes at the limit and names what fills the stack', () => {
    const result = checkResourceCount(templateOf({ 'AWS::Lambda::Function': 300, 'AWS::Logs::LogGroup': 200 }));
    expect(result).toEqual({ ok: true, summary: 'stack: 500 of 500 CloudFormation resources (0 left; AWS::Lambda::Function 300, AWS::Logs::LogGroup 200)' });
  });

  it('fails one resource over it', () => {
    expect(checkResourceCount(templateOf({ 'AWS::Lambda::Function': 301, 'AWS::Logs::LogGroup': 200 })).ok).toBe(false);
  });

  it('names parameters and outputs over their quotas, and nothing at them', () => {
    const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`P${i}`, {}]));
    expect(checkInterfaceCounts({ Resources: {}, Parameters: entries(200), Outputs: entries(200) }, 'x')).toEqual([]);
    expect(checkInterfaceCounts({ Resources: {}, Parameters: entries(201), Outputs: entries(201) }, 'x')).toEqual([
      "x: 201 parameters, over CloudFormation's 200",
      "x: 201 outputs, over CloudFormation's 200",
    ]);
  });
});

describe('the dependency cycle check', () => {
  it('finds a cycle through Ref, Fn::GetAtt, Fn::Sub and DependsOn', () => {
    const template: Template = {
      Resources: {
        Rule: { Type: 'AWS::IoT::TopicRule', Properties: { Action: { 'Fn::GetAtt': ['IotNestedStack', 'Outputs.FnArn'] } } },
        IotNestedStack: { Type: 'AWS::CloudFormation::Stack', Properties: { Parameters: { RuleArn: { 'Fn::Sub': '${Rule.Arn}' } } } },
        Table: { Type: 'AWS::DynamoDB::Table' },
        Role: { Type: 'AWS::IAM::Role', DependsOn: 'Table', Properties: { Table: { Ref: 'Table' } } },
      },
    };
    expect(findDependencyCycle(template)).toEqual(['Rule', 'IotNestedStack', 'Rule']);
    template.Resources.Rule!.DependsOn = [];
    template.Resources.IotNestedStack!.Properties = { Parameters: { RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } } };
    expect(findDependencyCycle(template)).toBeUndefined();
    template.Resources.Table!.DependsOn = ['Role'];
    expect(findDependencyCycle(template)).toEqual(['Role', 'Table', 'Role']);
  });
});

describe('a package directory', () => {
  it('checks the root and every nested template, each against its own quota', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brigade-templates-'));
    try {
      writeFileSync(join(dir, 'cloudformation-template-update-stack.json'), JSON.stringify(templateOf({ 'AWS::IAM::Role': 3 })));
      writeFileSync(join(dir, 'cloudformation-template-create-stack.json'), JSON.stringify(templateOf({ 'AWS::S3::Bucket': 900 })));
      writeFileSync(join(dir, 'cloudformation-template-Orders-nested-stack.json'), JSON.stringify(templateOf({ 'AWS::Lambda::Function': 400 })));
      writeFileSync(join(dir, 'cloudformation-template-Staff-nested-stack.json'), JSON.stringify(templateOf({ 'AWS::Lambda::Function': 501 })));
      const result = checkPackage(dir);
      expect(result.lines.map((line) => line.split(':')[0])).toEqual(['root stack', 'Orders-nested-stack', 'Staff-nested-stack']);
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([expect.stringMatching(/^Staff-nested-stack is over CloudFormation's 500 resources/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
