import { runBenchmark, type Benchmark, type BenchResult } from '../harness.ts';

declare global {
  interface Window {
    __benchDone?: { results: BenchResult[] } | { error: string };
  }
}

/** Runs the browser benchmark named in ?bench=<file stem> and leaves its results on window for the runner. */
/** A module's default export goes through the interleaved harness; a module whose frames are too slow for it
 * (seconds each on a software rasteriser) may export `measure()` and time itself. */
const modules = import.meta.glob<{ default: Benchmark | (() => Promise<Benchmark[]>); measure?: () => Promise<BenchResult[]> }>('./*.bench.ts');

async function main(): Promise<void> {
  const name = new URLSearchParams(location.search).get('bench') ?? '';
  const load = modules[`./${name}.bench.ts`];
  if (!load) throw new Error(`no browser benchmark "${name}"`);
  const mod = await load();
  if (mod.measure) {
    window.__benchDone = { results: await mod.measure() };
    return;
  }
  const list = typeof mod.default === 'function' ? await mod.default() : [mod.default];
  const results: BenchResult[] = [];
  for (const b of list) results.push(await runBenchmark(b, { rounds: 10, maxSeconds: 30 }));
  window.__benchDone = { results };
}

main().catch((e: unknown) => {
  window.__benchDone = { error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
});
