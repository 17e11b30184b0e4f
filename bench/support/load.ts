// A closed-loop load generator: `concurrency` workers each take the next index until `count` operations ran.
import { summarize, type LatencySummary } from './stats';

export interface LoadResult extends LatencySummary {
  wallMs: number;
  opsPerSecond: number;
}

export async function runConcurrent(count: number, concurrency: number, operation: (index: number) => Promise<void>): Promise<LoadResult> {
  const latencies = new Array<number>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const started = performance.now();
      await operation(index);
      latencies[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - started;
  return { ...summarize(latencies), wallMs, opsPerSecond: (count / wallMs) * 1000 };
}
