// resources/nested-stacks.js: which resources leave the root stack for their domain's nested stack.
const { placeResources } = require('../../resources/nested-stacks.js') as {
  placeResources: (template: object, functionsByDomain: Record<string, string>, lambdaId: (n: string) => string, logGroupId: (n: string) => string) => Record<string, string>;
};

const cap = (name: string) => name[0]!.toUpperCase() + name.slice(1);
const lambdaId = (name: string) => `${cap(name)}LambdaFunction`;
const logGroupId = (name: string) => `${cap(name)}LogGroup`;
const arnOf = (name: string) => ({ 'Fn::GetAtt': [lambdaId(name), 'Arn'] });

const template = {
  Resources: {
    OrdersTable: { Type: 'AWS::DynamoDB::Table' },
    OrdersRole: { Type: 'AWS::IAM::Role', Properties: { Table: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] } } },
    HttpApi: { Type: 'AWS::ApiGatewayV2::Api' },
    EventsTopic: { Type: 'AWS::SNS::Topic' },
    CreateOrderLogGroup: { Type: 'AWS::Logs::LogGroup' },
    CreateOrderLambdaFunction: { Type: 'AWS::Lambda::Function', DependsOn: ['CreateOrderLogGroup'], Properties: { Role: { 'Fn::GetAtt': ['OrdersRole', 'Arn'] } } },
    CreateOrderLambdaPermissionHttpApi: {
      Type: 'AWS::Lambda::Permission',
      Properties: { FunctionName: arnOf('createOrder'), SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'HttpApi' }, '/*']] } },
    },
    HttpApiIntegrationCreateOrder: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'HttpApi' }, IntegrationUri: arnOf('createOrder') } },
    HttpApiRoutePostOrders: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: { ApiId: { Ref: 'HttpApi' }, Target: { 'Fn::Join': ['/', ['integrations', { Ref: 'HttpApiIntegrationCreateOrder' }]] } },
    },
    // A schedule: its invoke permission names the rule, which names the function; both go with the function.
    RelayPermissionEvents: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: arnOf('relay'), SourceArn: { 'Fn::GetAtt': ['RelayEventsRule', 'Arn'] } } },
    RelayEventsRule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: arnOf('relay') }] } },
    RelayLambdaFunction: { Type: 'AWS::Lambda::Function' },
    NotifySnsSubscription: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'EventsTopic' }, Endpoint: arnOf('notify') } },
    NotifyLambdaFunction: { Type: 'AWS::Lambda::Function' },
    // An IoT rule of the root stack whose error action is a function: its permission names the rule, so it stays.
    TelemetryRule: { Type: 'AWS::IoT::TopicRule', Properties: { ErrorAction: { Lambda: { FunctionArn: arnOf('recordRuleError') } } } },
    RecordRuleErrorLambdaFunction: { Type: 'AWS::Lambda::Function' },
    RuleErrorInvokePermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: { FunctionName: { Ref: 'RecordRuleErrorLambdaFunction' }, SourceArn: { 'Fn::GetAtt': ['TelemetryRule', 'Arn'] } },
    },
    // Names two domains' functions: belongs to neither.
    ErrorsAlarm: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { A: { Ref: 'CreateOrderLambdaFunction' }, B: { Ref: 'NotifyLambdaFunction' } } },
  },
};

describe('placing resources in nested stacks per domain', () => {
  const placement = placeResources(
    template,
    { createOrder: 'orders', relay: 'orders', notify: 'notifications', recordRuleError: 'iot' },
    lambdaId,
    logGroupId,
  );

  it('moves each function with what exists only for it', () => {
    expect(placement).toEqual({
      CreateOrderLogGroup: 'orders',
      CreateOrderLambdaFunction: 'orders',
      CreateOrderLambdaPermissionHttpApi: 'orders',
      HttpApiIntegrationCreateOrder: 'orders',
      HttpApiRoutePostOrders: 'orders',
      RelayLambdaFunction: 'orders',
      RelayEventsRule: 'orders',
      RelayPermissionEvents: 'orders',
      NotifyLambdaFunction: 'notifications',
      NotifySnsSubscription: 'notifications',
      RecordRuleErrorLambdaFunction: 'iot',
    });
  });

  it('keeps state and shared resources in the root, and what would make the root and a nested stack wait on each other', () => {
    for (const id of ['OrdersTable', 'OrdersRole', 'HttpApi', 'EventsTopic', 'TelemetryRule', 'RuleErrorInvokePermission', 'ErrorsAlarm']) {
      expect(placement[id]).toBeUndefined();
    }
  });

  it('places the same template the same way every time (nothing changes stack between deploys)', () => {
    const again = placeResources(JSON.parse(JSON.stringify(template)), { createOrder: 'orders', relay: 'orders', notify: 'notifications', recordRuleError: 'iot' }, lambdaId, logGroupId);
    expect(again).toEqual(placement);
  });
});
