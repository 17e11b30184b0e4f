import { checkResourceCount } from '../../scripts/check-template';

const templateOf = (counts: Record<string, number>) => ({
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
});
