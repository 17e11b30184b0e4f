// AWS IoT Core policy evaluation for one connection: the policies attached to the device's certificate, with
// the thing policy variables (`${iot:Connection.Thing.ThingName}`, `…Attributes[name]`, `${iot:ClientId}`)
// substituted. An explicit Deny wins, then an Allow; anything else is denied (AWS's default). A statement
// whose variables cannot be resolved, or whose condition this evaluator does not know, never matches: that
// errs towards denying, as AWS does for an unresolvable variable.

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export interface ConnectionContext {
  clientId: string;
  /** The thing the certificate is attached to, when the client id names it. */
  thing?: { thingName: string; thingTypeName?: string; attributes: Record<string, string> };
}

export type Decision = 'allow' | 'deny';

const VARIABLE = /\$\{([^}]+)\}/g;

/** The value of one policy variable, or undefined when the connection does not define it. */
function variable(name: string, ctx: ConnectionContext): string | undefined {
  if (name === 'iot:ClientId') return ctx.clientId;
  if (name === 'iot:Connection.Thing.ThingName') return ctx.thing?.thingName;
  if (name === 'iot:Connection.Thing.ThingTypeName') return ctx.thing?.thingTypeName;
  if (name === 'iot:Connection.Thing.IsAttached') return String(ctx.thing !== undefined);
  const attribute = /^iot:Connection\.Thing\.Attributes\[([^\]]+)\]$/.exec(name);
  if (attribute) return ctx.thing?.attributes[attribute[1]!];
  return undefined;
}

function substitute(pattern: string, ctx: ConnectionContext): string | undefined {
  let unresolved = false;
  const result = pattern.replace(VARIABLE, (_, name: string) => {
    const value = variable(name, ctx);
    if (value === undefined) unresolved = true;
    return value ?? '';
  });
  return unresolved ? undefined : result;
}

/** IAM-style wildcards: `*` any run of characters, `?` exactly one. Everything else is literal (MQTT + and # too). */
export function wildcardMatches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function conditionHolds(condition: PolicyStatement['Condition'], ctx: ConnectionContext): boolean {
  for (const [operator, tests] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(tests)) {
      const actual = variable(key, ctx);
      if (actual === undefined) return false;
      const wanted = list(expected);
      const holds =
        operator === 'Bool' || operator === 'StringEquals' ? wanted.includes(actual)
        : operator === 'StringNotEquals' ? !wanted.includes(actual)
        : operator === 'StringLike' ? wanted.some((w) => wildcardMatches(w, actual))
        : false; // an operator this evaluator does not know: the statement does not apply
      if (!holds) return false;
    }
  }
  return true;
}

function statementMatches(statement: PolicyStatement, action: string, resource: string, ctx: ConnectionContext): boolean {
  if (!list(statement.Action).some((a) => wildcardMatches(a.toLowerCase(), action.toLowerCase()))) return false;
  if (!conditionHolds(statement.Condition, ctx)) return false;
  return list(statement.Resource).some((pattern) => {
    const resolved = substitute(pattern, ctx);
    return resolved !== undefined && wildcardMatches(resolved, resource);
  });
}

export function evaluatePolicies(documents: PolicyDocument[], action: string, resource: string, ctx: ConnectionContext): Decision {
  const statements = documents.flatMap((d) => list(d.Statement));
  const matching = statements.filter((s) => statementMatches(s, action, resource, ctx));
  if (matching.some((s) => s.Effect === 'Deny')) return 'deny';
  return matching.some((s) => s.Effect === 'Allow') ? 'allow' : 'deny';
}

/** The resource ARN an MQTT action is authorised against: `topic/…` for Publish/Receive, `topicfilter/…` for Subscribe. */
export function mqttResourceArn(region: string, accountId: string, kind: 'client' | 'topic' | 'topicfilter', name: string): string {
  return `arn:aws:iot:${region}:${accountId}:${kind}/${name}`;
}
