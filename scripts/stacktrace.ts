// Turns a stack trace from a deployed function (CloudWatch: `at handler (/var/task/functions/orders/create-order.js:1:2345)`)
// back into TypeScript file:line:column, with the source maps `npm run package` publishes beside the zips
// (<package dir>/sourcemaps/, see dev/esbuild-plugins.js). The zips carry no maps, so Lambda never loads one.
// The bundles are minified without keepNames, so a frame's function name is restored from the source it maps to:
// the innermost named function around that line in the checkout (run it at the commit that was deployed).
//
//   npm run stacktrace -- <file with the stack> [--maps <dir>]     (default: .serverless/sourcemaps; "-" reads stdin)
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import * as ts from 'typescript';

const DEFAULT_MAPS_DIR = join('.serverless', 'sourcemaps');
// The folder the bundles were built in, which the maps' relative `sources` start from.
const BUILD_FOLDER = join('.esbuild', '.build');

// `at name (path:line:column)` or `at path:line:column`; the path is any .js file.
const FRAME = /^(\s*at )(?:(.*?) \()?((?:file:\/\/)?[^\s()]+?\.js):(\d+):(\d+)(\)?)\s*$/;

/** functions/orders/create-order.js from /var/task/functions/orders/create-order.js (or any prefix before functions/). */
export function bundlePathOf(path: string): string | undefined {
  const clean = path.replace(/^file:\/\//, '');
  const at = clean.lastIndexOf('/functions/');
  if (clean.startsWith('functions/')) return clean;
  return at >= 0 ? clean.slice(at + 1) : undefined;
}

// A build from a mirror of the checkout (bench, dev/package-service.ts) records sources by their real path, outside
// the build folder: `../../../work/main/functions/…` is shown from `functions/…`.
export const projectPath = (source: string) =>
  source.startsWith('../') ? (/^(?:\.\.\/)+.*?((?:functions|node_modules)\/.*)$/.exec(source)?.[1] ?? source) : source;

/** What the source calls a function: its own name, or the variable, property or method it is assigned to. */
function functionNameOf(node: ts.SignatureDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(node)) return node.parent.name ? `new ${node.parent.name.text}` : undefined;
  if (node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) return node.name.text;
  const { parent } = node;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return undefined;
}

/**
 * The name of the innermost function around a 0-based line and column of a source file; undefined when that
 * function is anonymous (a callback: the frame had no name before minifying either) or the file is not here.
 */
export function enclosingFunctionName(file: string, line: number, column: number): string | undefined {
  if (!existsSync(file)) return undefined;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  if (line >= source.getLineStarts().length) return undefined;
  const position = source.getPositionOfLineAndCharacter(line, column);
  let innermost: ts.SignatureDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) return;
    if (ts.isFunctionLike(node)) innermost = node;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return innermost && functionNameOf(innermost);
}

/** `sourcesRoot`: the checkout the sources are read from, for the frames' function names. */
export function symbolicate(text: string, mapsDir: string, sourcesRoot = process.cwd()): string {
  const maps = new Map<string, SourceMap | undefined>();
  const mapFor = (bundlePath: string) => {
    if (!maps.has(bundlePath)) {
      const file = join(mapsDir, `${bundlePath}.map`);
      maps.set(bundlePath, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined);
    }
    return maps.get(bundlePath);
  };
  return text
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (!frame) return line;
      const [, at, name, path, row, column] = frame as unknown as [string, string, string | undefined, string, string, string];
      const bundlePath = bundlePathOf(path);
      const map = bundlePath && mapFor(bundlePath);
      if (!bundlePath || !map) return line;
      // Stack positions are 1-based; source map offsets are 0-based.
      const entry = map.findEntry(Number(row) - 1, Number(column) - 1) as {
        originalSource?: string;
        originalLine?: number;
        originalColumn?: number;
        name?: string;
      };
      if (entry.originalSource === undefined || entry.originalLine === undefined) return line;
      const source = projectPath(normalize(join(BUILD_FOLDER, dirname(bundlePath), entry.originalSource)).split(sep).join('/'));
      const location = `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
      const functionName = enclosingFunctionName(join(sourcesRoot, source), entry.originalLine, entry.originalColumn ?? 0) ?? entry.name ?? name;
      return functionName ? `${at}${functionName} (${location})` : `${at}${location}`;
    })
    .join('\n');
}

function main(argv: string[]): number {
  const mapsFlag = argv.indexOf('--maps');
  const mapsDir = mapsFlag >= 0 ? argv[mapsFlag + 1] : DEFAULT_MAPS_DIR;
  const input = argv.filter((_, i) => i !== mapsFlag && i !== mapsFlag + 1)[0];
  if (!input || !mapsDir) {
    console.error('usage: npm run stacktrace -- <file with a stack trace, or - for stdin> [--maps <sourcemaps dir>]');
    return 2;
  }
  if (!existsSync(mapsDir)) {
    console.error(`no source maps at ${mapsDir}: run \`npm run package\` (it writes <package dir>/sourcemaps/) or pass --maps`);
    return 2;
  }
  process.stdout.write(`${symbolicate(readFileSync(input === '-' ? 0 : input, 'utf8'), mapsDir)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
