'use strict';
// Preloaded into serverless-offline's process only (`node --require`, see offline.ts), so AWS never sees it.
// serverless-offline runs every invocation of every function in that one process, concurrently (useInProcess), as
// Lambda Managed Instances run several invocations in one execution environment. There the runtime sets
// AWS_LAMBDA_MAX_CONCURRENCY and runs each invocation inside the InvokeStore's context (an AsyncLocalStorage), and
// Powertools keeps in it what must not leak from one invocation to another: the logger's appended keys
// (correlation id, route, user), its Lambda context, the metrics buffered for one flush. This does the runtime's
// part here: without it one request's keys were printed on another's log lines. Plain CommonJS because it loads
// before any TypeScript loader exists in that process.
const { realpathSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { InvokeStore } = require('@aws/lambda-invoke-store');

const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');

/** Makes each `run` of a serverless-offline handler runner an invocation of its own in `store`. */
function scopeInvocations(Runner, storeReady) {
  const run = Runner.prototype.run;
  Runner.prototype.run = async function runInItsOwnInvocation(event, context) {
    const store = await storeReady;
    return store.run({ [REQUEST_ID]: context?.awsRequestId ?? '-' }, () => run.call(this, event, context));
  };
}

/**
 * Keeps `store` on globalThis.awslambda, where Powertools looks for it: serverless-offline replaces that object
 * each time it loads a handler module (to offer `streamifyResponse`), which would drop it.
 */
function keepOnGlobalAwsLambda(store) {
  let current = globalThis.awslambda;
  if (current) current.InvokeStore = store;
  Object.defineProperty(globalThis, 'awslambda', {
    configurable: true,
    get: () => current,
    set: (value) => {
      current = value;
      if (value && typeof value === 'object' && !value.InvokeStore) value.InvokeStore = store;
    },
  });
}

if (process.env.AWS_LAMBDA_MAX_CONCURRENCY) {
  // Multi-concurrent: backed by an AsyncLocalStorage.
  const storeReady = InvokeStore.getInstanceAsync(true).then((store) => {
    keepOnGlobalAwsLambda(store);
    return store;
  });
  // The module serverless-offline itself loads (ESM, keyed by its real path), so the class patched is the one it runs.
  const runnerPath = realpathSync(join(__dirname, '..', 'node_modules', 'serverless-offline', 'src', 'lambda', 'handler-runner', 'in-process-runner', 'InProcessRunner.js'));
  module.exports.patched = import(pathToFileURL(runnerPath).href).then((module) => scopeInvocations(module.default, storeReady));
}

module.exports.scopeInvocations = scopeInvocations;
module.exports.keepOnGlobalAwsLambda = keepOnGlobalAwsLambda;
