// `npm run replay -- --site <siteId> --target <function> [--types a,b] [--from ISO] [--to ISO] [--attribute k=v]…
//   [--batch-size n] [--cursor c] [--stage name] [--region r]`: replays a site's archived events to one function of
// the stage (functions/archive, docs/archive.md) by invoking `brigade-<stage>-replayArchivedEvents` until it is done,
// printing progress. Without --stage, the local stack of `npm start` (its ports from BRIGADE_*_PORT); `--stage
// localstack`, LocalStack's edge (AWS_ENDPOINT_URL or 127.0.0.1:4566); any other stage, the AWS account of the usual
// credentials. A failed batch stops it, printing the command that resumes after the last batch the target accepted.
import { parseArgs } from 'node:util';
import { invokeFunction, useLocalStackFor } from './invoke-function';
import { localStackEnv } from './localstack';
import { runCli, UsageError } from './cli';

const USAGE =
  'usage: npm run replay -- --site <siteId> --target <function> [--types a,b] [--from ISO] [--to ISO] [--attribute name=value]... ' +
  '[--batch-size 1-100] [--cursor c] [--stage local|localstack|<aws stage>] [--region r]';

type RunResult = { replayed: number; done: boolean; nextCursor?: string; failed?: { error: string; eventIds: string[] } };

function parse() {
  const { values } = parseArgs({
    options: {
      site: { type: 'string' },
      target: { type: 'string' },
      types: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      attribute: { type: 'string', multiple: true },
      'batch-size': { type: 'string' },
      cursor: { type: 'string' },
      stage: { type: 'string', default: 'local' },
      region: { type: 'string' },
    },
    allowPositionals: false,
  });
  if (!values.site || !values.target) throw new UsageError('--site and --target are required');
  const attributes = Object.fromEntries(
    (values.attribute ?? []).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new UsageError(`--attribute ${pair}: expected name=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  // The replay function checks everything else and names what is wrong.
  const request = {
    siteId: values.site,
    target: values.target,
    ...(values.types && { types: values.types.split(',').map((t) => t.trim()).filter(Boolean) }),
    ...(values.from && { from: values.from }),
    ...(values.to && { to: values.to }),
    ...(Object.keys(attributes).length > 0 && { attributes }),
    ...(values['batch-size'] && { batchSize: Number(values['batch-size']) }),
  };
  return { stage: values.stage, region: values.region, cursor: values.cursor, request };
}

/** The emulated stages: `local` is npm start's stack (serverless-offline's Lambda port); LocalStack serves Lambda on its edge. */
function useEmulator(stage: string): void {
  if (stage === 'local') useLocalStackFor();
  if (stage === 'localstack') Object.assign(process.env, localStackEnv(process.env, process.arch));
}

async function main(): Promise<number> {
  const { stage, region, cursor: startCursor, request } = parse();
  if (region) process.env.AWS_REGION = region;
  useEmulator(stage);
  const functionName = `brigade-${stage}-replayArchivedEvents`;
  console.log(`replaying ${request.siteId}'s archived events to ${request.target} (${functionName})`);

  let cursor = startCursor;
  let total = 0;
  const started = Date.now();
  for (let run = 1; ; run++) {
    const result = (await invokeFunction(functionName, { ...request, ...(cursor && { cursor }) })) as RunResult;
    total += result.replayed;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.failed) {
      console.error(`run ${run}: ${result.replayed} replayed, then the target failed a batch of ${result.failed.eventIds.length} (first ${result.failed.eventIds[0]}):`);
      console.error(`  ${result.failed.error}`);
      console.error(`${total} events replayed in ${seconds} s. Resume after the last accepted batch with:`);
      console.error(`  npm run replay -- ${process.argv.slice(2).filter((a, i, all) => a !== '--cursor' && all[i - 1] !== '--cursor' && !a.startsWith('--cursor=')).join(' ')}${result.nextCursor ? ` --cursor ${result.nextCursor}` : ''}`);
      return 1;
    }
    console.log(`run ${run}: ${result.replayed} replayed (${total} in all, ${seconds} s)${result.done ? ', done' : ''}`);
    if (result.done) return 0;
    cursor = result.nextCursor;
  }
}

runCli(main, USAGE);
