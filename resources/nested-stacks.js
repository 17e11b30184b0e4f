// One nested CloudFormation stack per domain, so the service stays under CloudFormation's 500 resources per stack
// however many domains it grows (docs/architecture.md, "One stack, a nested stack per domain").
//
// What moves: each function and what exists only for it (its log group, its invoke permissions, its API routes and
// integrations, its event source mappings, SNS subscriptions, schedules and async-invoke config) goes into the
// nested stack of the domain that declares it (functions/<domain>/functions.yml). What stays in the root stack:
// everything with state or shared by name (tables, queues, topics, roles, the APIs, IoT rules and policies,
// alarms), so splitting never replaces a table and the nested stacks hold nothing that cannot be recreated.
//
// The reference rewriting (Ref/GetAtt/Sub across stacks become nested-stack parameters and outputs), the
// nested templates' S3 upload and TemplateURL come from serverless-plugin-split-stacks; this subclass replaces its
// placement with the rule above, a pure function of the template and the domains: a resource never changes stack
// between deploys, so the plugin's look-up of the deployed stack (which needs AWS credentials at package time) is
// skipped and `npm run package` stays offline. The nested templates are written next to the root one
// (cloudformation-template-<Domain>-nested-stack.json, moved with it by `--package <dir>`).
'use strict';

const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { parse: parseYaml } = require('yaml');
const SplitStacks = require('serverless-plugin-split-stacks');

/** Resources that exist only for the function they name, and move with it. */
const FUNCTION_SCOPED_TYPES = new Set([
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::ApiGatewayV2::Integration',
  'AWS::SNS::Subscription',
  'AWS::Events::Rule',
]);

/** `{ functionName: domain }` from each domain's functions.yml (the same files resources/domains.js merges). */
function functionDomains(serviceDir, domains) {
  const byFunction = {};
  for (const domain of domains) {
    const file = path.join(serviceDir, 'functions', domain, 'functions.yml');
    if (!existsSync(file)) throw new Error(`functions/${domain}/functions.yml is missing (every domain in custom.domains has one)`);
    for (const name of Object.keys(parseYaml(readFileSync(file, 'utf8')) ?? {})) byFunction[name] = domain;
  }
  return byFunction;
}

/** The logical ids among `ids` that `value` names through Ref, Fn::GetAtt or an Fn::Sub variable. */
function referencedIds(value, ids, found = new Set()) {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, ids, found);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string' && ids.has(inner)) found.add(inner);
      else if (key === 'Fn::GetAtt') {
        const id = Array.isArray(inner) ? inner[0] : String(inner).split('.')[0];
        if (ids.has(id)) found.add(id);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        for (const [, name] of String(text).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) if (ids.has(name)) found.add(name);
        if (Array.isArray(inner)) referencedIds(inner[1], ids, found);
      } else referencedIds(inner, ids, found);
    }
  }
  return found;
}

/** The nested stack's logical-id stem for a domain: `orders` → `Orders` (→ OrdersNestedStack). */
const stackStem = (domain) => domain.replace(/(^|[-_])([a-z0-9])/g, (_, __, c) => c.toUpperCase());

/**
 * Where each resource of `template` goes: `{ logicalId: domain }` for the ones that move; the rest stay in the root.
 * `lambdaIdOf(functionName)` and `logGroupIdOf(functionName)` are the framework's naming.
 */
function placeResources(template, functionsByDomain, lambdaIdOf, logGroupIdOf) {
  const resources = template.Resources;
  const allIds = new Set(Object.keys(resources));
  const placement = {};
  const domainOfLambda = new Map();
  for (const [name, domain] of Object.entries(functionsByDomain)) {
    const lambdaId = lambdaIdOf(name);
    if (resources[lambdaId]?.Type !== 'AWS::Lambda::Function') continue;
    domainOfLambda.set(lambdaId, domain);
    placement[lambdaId] = domain;
    if (resources[logGroupIdOf(name)]?.Type === 'AWS::Logs::LogGroup') placement[logGroupIdOf(name)] = domain;
  }
  const lambdaIds = new Set(domainOfLambda.keys());
  // Permissions after the rules and integrations they may name, routes after the integrations they target.
  const rank = (id) => ({ 'AWS::Lambda::Permission': 1, 'AWS::ApiGatewayV2::Route': 2 })[resources[id].Type] ?? 0;
  const ordered = Object.keys(resources).sort((a, b) => rank(a) - rank(b));
  for (const id of ordered) {
    const resource = resources[id];
    if (resource.Type === 'AWS::ApiGatewayV2::Route') {
      const [integration] = referencedIds(resource.Properties?.Target, allIds);
      if (integration && placement[integration]) placement[id] = placement[integration];
      continue;
    }
    if (!FUNCTION_SCOPED_TYPES.has(resource.Type)) continue;
    const domains = new Set([...referencedIds(resource, lambdaIds)].map((lambdaId) => domainOfLambda.get(lambdaId)));
    if (domains.size !== 1) continue;
    const [domain] = domains;
    // A resource that names a root resource which itself names this domain's functions (an IoT rule's invoke
    // permission: SourceArn is the rule, whose action is the function) stays in the root: moved, it would make the
    // root and the nested stack wait on each other.
    const rootNamesDomain = [...referencedIds(resource, allIds)].some(
      (other) => !placement[other] && !lambdaIds.has(other) && [...referencedIds(resources[other], lambdaIds)].some((l) => domainOfLambda.get(l) === domain),
    );
    if (!rootNamesDomain) placement[id] = domain;
  }
  return placement;
}

class DomainNestedStacks extends SplitStacks {
  constructor(serverless, options) {
    super(serverless, options);
    // The plugin assigns its steps onto the instance, which would hide this class's methods: put them back.
    for (const step of ['migrateExistingResources', 'migrateNewResources']) {
      this[step] = DomainNestedStacks.prototype[step].bind(this);
    }
  }

  /** Placement is deterministic (placeResources), so the deployed stack is not consulted. */
  migrateExistingResources() {
    this.existingResources = {};
  }

  migrateNewResources() {
    const servicePath = this.serverless.serviceDir ?? this.serverless.config.servicePath;
    const functionsByDomain = functionDomains(servicePath, this.serverless.service.custom.domains);
    const naming = this.provider.naming;
    const placement = placeResources(
      this.rootTemplate,
      functionsByDomain,
      (name) => naming.getLambdaLogicalId(name),
      (name) => naming.getLogGroupLogicalId(name),
    );
    for (const [logicalId, domain] of Object.entries(placement)) this.migrate(logicalId, this.getStackName(stackStem(domain), false));
  }
}

module.exports = DomainNestedStacks;
module.exports.placeResources = placeResources;
module.exports.referencedIds = referencedIds;
