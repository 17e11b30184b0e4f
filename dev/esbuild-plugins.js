// esbuild plugins for `osls package` (serverless.yml custom.esbuild.plugins; serverless-esbuild calls this with the
// serverless instance). Plain CommonJS: osls requires it without a TypeScript loader.
//
// keepSourceMapsOutOfTheZip: esbuild writes each bundle's external source map beside it, and serverless-esbuild
// zips everything in its build folder. The map is moved into the packaged artifacts' sourcemaps/ folder (same
// relative path: sourcemaps/functions/orders/create-order.js.map), so the zip carries code only, Lambda never
// reads a map at cold start, and `npm run stacktrace` symbolicates a CloudWatch stack with the published maps.
'use strict';

const { mkdirSync, renameSync, existsSync } = require('node:fs');
const { basename, extname, join, relative } = require('node:path');

/** Where serverless-esbuild gathers the artifacts it then copies into the package directory. */
const ARTIFACTS_FOLDER = join('.esbuild', '.serverless');
const SOURCEMAPS_FOLDER = 'sourcemaps';

function keepSourceMapsOutOfTheZip(serviceDir) {
  return {
    name: 'brigade-keep-source-maps-out-of-the-zip',
    setup(build) {
      const { entryPoints, outdir, sourcemap } = build.initialOptions;
      if (sourcemap !== 'external' || !outdir || !Array.isArray(entryPoints)) return;
      build.onEnd((result) => {
        if (result.errors.length > 0) return;
        for (const entry of entryPoints) {
          const file = typeof entry === 'string' ? entry : entry.in;
          const map = join(outdir, `${basename(file, extname(file))}.js.map`);
          if (!existsSync(map)) continue;
          // outdir is <service>/.esbuild/.build/<dir of the handler>: keep that relative path under sourcemaps/.
          const target = join(serviceDir, ARTIFACTS_FOLDER, SOURCEMAPS_FOLDER, relative(join(serviceDir, '.esbuild', '.build'), map));
          mkdirSync(join(target, '..'), { recursive: true });
          renameSync(map, target);
        }
      });
    },
  };
}

module.exports = (serverless) => [keepSourceMapsOutOfTheZip(serverless.serviceDir)];
