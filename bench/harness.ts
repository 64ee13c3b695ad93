/**
 * Benchmarks compare "ours" against a baseline (the naive way) measured in the same run, interleaved round by
 * round, so a noisy shared machine slows both alike and the ratio stays meaningful. Runs in Node and in the page.
 */
export interface BenchCase {
  readonly name: string;
  /** One timed run. */
  run(): unknown;
  /** Work units one run does (latents, messages, frames), for a per-unit rate. */
  readonly units?: number;
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** What a unit is, e.g. "latent", "message", "frame". */
  readonly unit: string;
  setup?(): unknown;
  teardown?(): unknown;
  readonly ours: BenchCase;
  readonly baseline: BenchCase;
  /** Extra variants reported with their ratio to the baseline (e.g. batch 4, another backend). */
  readonly others?: readonly BenchCase[];
  /** Facts to keep beside the numbers (backend in use, sizes). Filled in by setup if needed. */
  readonly info?: Record<string, unknown>;
}

export interface CaseResult {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly unitsPerSecond: number | null;
  /** Baseline median / this median: > 1 means faster than the baseline. */
  readonly speedupVsBaseline: number;
}

export interface BenchResult {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly ours: CaseResult;
  readonly baseline: CaseResult;
  readonly others: readonly CaseResult[];
  readonly info: Record<string, unknown>;
}

export interface BenchOptions {
  readonly rounds?: number;
  readonly warmup?: number;
  /** Stop adding rounds after this long (the minimum rounds always run). */
  readonly maxSeconds?: number;
  readonly now?: () => number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i] as number;
}

async function timeOnce(c: BenchCase, now: () => number): Promise<number> {
  const t0 = now();
  const r = c.run();
  if (r instanceof Promise) await r;
  return now() - t0;
}

export async function runBenchmark(b: Benchmark, options: BenchOptions = {}): Promise<BenchResult> {
  const now = options.now ?? (() => performance.now());
  const minRounds = options.rounds ?? 15;
  const warmup = options.warmup ?? 3;
  const maxMs = (options.maxSeconds ?? 20) * 1000;
  const cases = [b.ours, b.baseline, ...(b.others ?? [])];
  const times = cases.map(() => [] as number[]);
  const setup = b.setup?.();
  if (setup instanceof Promise) await setup;
  try {
    for (let w = 0; w < warmup; w++) for (const c of cases) await timeOnce(c, now);
    const start = now();
    for (let round = 0; round < minRounds * 4; round++) {
      // Interleave, rotating the order, so drift on the machine hits every case alike.
      for (let k = 0; k < cases.length; k++) {
        const idx = (k + round) % cases.length;
        (times[idx] as number[]).push(await timeOnce(cases[idx] as BenchCase, now));
      }
      if (round + 1 >= minRounds && now() - start > maxMs) break;
    }
  } finally {
    const td = b.teardown?.();
    if (td instanceof Promise) await td;
  }
  const baseMedian = quantile([...(times[1] as number[])].sort((x, y) => x - y), 0.5);
  const summarise = (c: BenchCase, t: number[]): CaseResult => {
    const sorted = [...t].sort((x, y) => x - y);
    const median = quantile(sorted, 0.5);
    return {
      name: c.name,
      runs: t.length,
      medianMs: round4(median),
      p90Ms: round4(quantile(sorted, 0.9)),
      unitsPerSecond: c.units ? round4((c.units * 1000) / median) : null,
      speedupVsBaseline: round4(baseMedian / median),
    };
  };
  const results = cases.map((c, i) => summarise(c, times[i] as number[]));
  return {
    name: b.name,
    description: b.description,
    unit: b.unit,
    ours: results[0] as CaseResult,
    baseline: results[1] as CaseResult,
    others: results.slice(2),
    info: { ...(b.info ?? {}) },
  };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
