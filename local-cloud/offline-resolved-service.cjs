'use strict';
// A Serverless plugin (serverless.yml, custom.plugins; a no-op in every other command). When
// BRIGADE_RESOLVED_SERVICE_FILE is set (offline.ts sets it), it writes the resolved configuration there as soon as
// serverless-offline's start begins: what `osls print --format json` prints (`serverless.configurationInput`, the
// same object print dumps). The local cloud then reads the service from the process it starts anyway, instead of
// resolving it a second time in an `osls print` of its own (seconds of CPU beside the JVM's start on two cores).
// Written to a temporary name and renamed, so a reader never sees half a file. Without the variable it does nothing.
// Plain CommonJS: loaded by osls itself. (print uses json-cycle; the resolved YAML has shared parts, its anchors,
// but no cycles, which JSON.stringify would refuse loudly.)

const { renameSync, writeFileSync } = require('node:fs');

class ResolvedServiceFile {
  constructor(serverless) {
    const file = process.env.BRIGADE_RESOLVED_SERVICE_FILE;
    const write = () => {
      if (!file || this.written) return;
      this.written = true;
      writeFileSync(`${file}.partial`, JSON.stringify(serverless.configurationInput));
      renameSync(`${file}.partial`, file);
    };
    this.hooks = { 'before:offline:start:init': write, 'before:offline:start': write };
  }
}

module.exports = ResolvedServiceFile;
