// The service's functions and resources, assembled from `custom.domains` (serverless.yml): each domain's folder
// declares its functions (functions/<domain>/functions.yml) and everything only it uses, its table, role, queues
// (functions/<domain>/resources.yml); resources/*.yml hold what belongs to no single domain. Also the /status
// checks, derived from the merged resources: every table and topic of the stage, never a hand list.
//
// Serverless JS file variables (osls 4 and Serverless v4): `${file(./resources/domains.js):functions}` calls the
// export with `{ resolveVariable }`. Files are read through the framework's own `file()` source, so the variables
// inside them resolve as if serverless.yml included them directly.
'use strict';

const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

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

async function functions({ resolveVariable }) {
  const files = await domainFiles(resolveVariable, 'functions.yml');
  return (await merge(resolveVariable, files, (content) => ({ functions: content }))).functions;
}

async function resources({ resolveVariable }) {
  const files = [...sharedResourceFiles(), ...(await domainFiles(resolveVariable, 'resources.yml'))];
  return merge(resolveVariable, files, (content) => content);
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
