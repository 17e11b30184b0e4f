// The service's functions and resources, assembled from `custom.domains` (serverless.yml): each domain's folder
// declares its functions (functions/<domain>/functions.yml) and everything only it uses, its table, role, queues
// (functions/<domain>/resources.yml); resources/*.yml hold what belongs to no single domain. Also derived, never a
// hand list: the /status checks (every table and topic of the stage) and a depth alarm for every dead-letter queue.
//
// Serverless JS file variables (osls 4 and Serverless v4): `${file(./resources/domains.js):functions}` calls the
// export with `{ resolveVariable }`. Files are read through the framework's own `file()` source, so the variables
// inside them resolve as if serverless.yml included them directly.
'use strict';

const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse: parseYaml } = require('yaml');

const sharedResourceFiles = () =>
  readdirSync(__dirname)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => `resources/${name}`);

const serviceDir = join(__dirname, '..');

/** Each file's content, variables resolved; a missing or empty one fails naming it. */
async function loadAll(resolveVariable, files) {
  return Promise.all(
    files.map(async (file) => {
      if (!existsSync(join(serviceDir, file))) throw new Error(`${file} is missing (every domain in custom.domains has one)`);
      const content = await resolveVariable(`file(${file})`);
      if (!content) throw new Error(`${file} is empty`);
      return { file, content };
    }),
  );
}

/**
 * The files' sections merged by name (`sectionsOf` says what a file's sections are). A name declared in two files
 * fails naming both: merged silently, one domain's function or resource would replace another's.
 */
async function merge(resolveVariable, files, sectionsOf) {
  const merged = {};
  const declaredIn = new Map();
  for (const { file, content } of await loadAll(resolveVariable, files)) {
    for (const [section, entries] of Object.entries(sectionsOf(content))) {
      merged[section] ??= {};
      for (const [name, value] of Object.entries(entries ?? {})) {
        // A variant the stage's params leave out (e.g. the telemetry transport not chosen, `${…, null}`).
        if (value === null) continue;
        const where = `${section}.${name}`;
        if (declaredIn.has(where)) throw new Error(`${where} is declared in both ${declaredIn.get(where)} and ${file}`);
        declaredIn.set(where, file);
        merged[section][name] = value;
      }
    }
  }
  return merged;
}

async function domainFiles(resolveVariable, name) {
  const domains = await resolveVariable('self:custom.domains');
  return domains.map((domain) => `functions/${domain}/${name}`);
}

/** `telemetryTransport` picks functions/iot/telemetry-<value>.yml: a value with no such file fails here, naming the choices. */
const TELEMETRY_TRANSPORTS = ['stream', 'queue'];

async function checkParams(resolveVariable) {
  const transport = await resolveVariable('param:telemetryTransport');
  if (!TELEMETRY_TRANSPORTS.includes(transport)) {
    throw new Error(`telemetryTransport is ${JSON.stringify(transport)}: it is one of ${TELEMETRY_TRANSPORTS.join(', ')} (docs/iot.md "Two transports")`);
  }
}

async function functions({ resolveVariable }) {
  await checkParams(resolveVariable);
  const files = await domainFiles(resolveVariable, 'functions.yml');
  return (await merge(resolveVariable, files, (content) => ({ functions: content }))).functions;
}

async function resources({ resolveVariable }) {
  await checkParams(resolveVariable);
  const files = [...sharedResourceFiles(), ...(await domainFiles(resolveVariable, 'resources.yml'))];
  const merged = await merge(resolveVariable, files, (content) => content);
  Object.assign(merged.Resources, dlqDepthAlarms(merged.Resources, await rawFunctions(resolveVariable)));
  return merged;
}

/**
 * The domains' functions as written, variables left unresolved: enough for the logical ids they name, and no wait
 * on the functions' own variables (their environment reads `self:resources` for /status, which is this file's
 * answer: resolving them here would wait on itself).
 */
async function rawFunctions(resolveVariable) {
  const all = {};
  for (const file of await domainFiles(resolveVariable, 'functions.yml')) {
    if (!existsSync(join(serviceDir, file))) throw new Error(`${file} is missing (every domain in custom.domains has one)`);
    Object.assign(all, parseYaml(readFileSync(join(serviceDir, file), 'utf8')));
  }
  // Events given by a variable (ingestTelemetry's, from its transport's file) are resolved: they name DLQs too.
  for (const fn of Object.values(all)) {
    if (typeof fn?.events === 'string') fn.events = await resolveString(resolveVariable, fn.events);
  }
  return all;
}

/** A string holding variables, innermost first; a string that is one variable is that variable's value. */
async function resolveString(resolveVariable, text) {
  const innermost = /\$\{([^${}]+)\}/;
  for (let match = innermost.exec(text); match; match = innermost.exec(text)) {
    const value = await resolveVariable(match[1].trim());
    if (match[0] === text) return value;
    text = text.replace(match[0], String(value));
  }
  return text;
}

/** The logical id of a queue given as `{ 'Fn::GetAtt': [Id, Arn] }`, `{ Ref: Id }` or a bare `Id`. */
function queueIdOf(target) {
  if (typeof target === 'string') return target;
  return target?.['Fn::GetAtt']?.[0] ?? target?.Ref;
}

/**
 * The queues the functions keep their failures in: a function's `destinations.onFailure` of type sqs, a stream
 * event's (where a Kinesis batch given up on is), and an SNS subscription's `redrivePolicy` (deadLetterTargetRef,
 * or deadLetterTargetArn as a GetAtt). Sorted, each once.
 */
function deadLetterQueueIds(functionsByName) {
  const ids = new Set();
  for (const fn of Object.values(functionsByName)) {
    const onFailure = fn.destinations?.onFailure;
    if (onFailure?.type === 'sqs') ids.add(queueIdOf(onFailure.arn));
    for (const event of fn.events ?? []) {
      const streamFailure = event.stream?.destinations?.onFailure;
      if (streamFailure?.type === 'sqs') ids.add(queueIdOf(streamFailure.arn));
      const redrive = event.sns?.redrivePolicy;
      if (redrive) ids.add(queueIdOf(redrive.deadLetterTargetRef ?? redrive.deadLetterTargetArn));
    }
  }
  ids.delete(undefined);
  return [...ids].sort();
}

/**
 * One alarm per dead-letter queue (resources/alarms.yml has the rest): a message in a DLQ is work that failed every
 * retry, so one is enough to page. A DLQ that is not a queue of this stack fails the build, naming it.
 */
function dlqDepthAlarms(Resources, functionsByName) {
  const alarms = {};
  // A queue's own RedrivePolicy target holds failed work as well.
  const redriveTargets = Object.values(Resources).map((r) => r.Type === 'AWS::SQS::Queue' && queueIdOf(r.Properties?.RedrivePolicy?.deadLetterTargetArn));
  const queueIds = [...new Set([...deadLetterQueueIds(functionsByName), ...redriveTargets.filter(Boolean)])].sort();
  for (const queueId of queueIds) {
    if (Resources[queueId]?.Type !== 'AWS::SQS::Queue') throw new Error(`${queueId} is used as a dead-letter queue but is not an AWS::SQS::Queue of this stack`);
    alarms[`${queueId}DepthAlarm`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [queueId, 'QueueName'] }, '-not-empty']] },
        AlarmDescription: 'Messages are waiting in a dead-letter queue: work that failed every retry (docs/observability.md).',
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'OpsAlarmsTopic' }],
        OKActions: [{ Ref: 'OpsAlarmsTopic' }],
      },
    };
  }
  return alarms;
}

/** Every resource of one CloudFormation type in the merged template, by the physical name it must declare. */
async function namesOf(resolveVariable, type, nameProperty) {
  const { Resources } = await resolveVariable('self:resources');
  return Object.entries(Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => {
      const name = resource.Properties?.[nameProperty];
      if (typeof name !== 'string') throw new Error(`${logicalId} needs a ${nameProperty} for /status to check it`);
      return name;
    });
}

/** STATUS_TABLES: every AWS::DynamoDB::Table of the stage. */
async function statusTables({ resolveVariable }) {
  return (await namesOf(resolveVariable, 'AWS::DynamoDB::Table', 'TableName')).join(',');
}

/** STATUS_TOPICS: the ARN of every AWS::SNS::Topic of the stage. */
async function statusTopics({ resolveVariable }) {
  const region = await resolveVariable('self:provider.region');
  const accountId = await resolveVariable('self:custom.accountId');
  const names = await namesOf(resolveVariable, 'AWS::SNS::Topic', 'TopicName');
  return names.map((name) => `arn:aws:sns:${region}:${accountId}:${name}`).join(',');
}

module.exports = { functions, resources, statusTables, statusTopics };
