/**
 * `npm run bench [-- name…]`: runs every benchmark in bench/node (in this process) and bench/browser (in headless
 * Chromium, served by Vite), and writes bench/results/latest.json with medians, ratios against each baseline
 * measured in the same run, and the machine it ran on.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { CHROMIUM_PATH, chromiumArgs } from '../tests/support/chromium.ts';
import { personVideoPath } from '../tests/support/fake-camera.ts';
import { runBenchmark, type Benchmark, type BenchResult } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = (file: string): boolean => only.length === 0 || only.some((o) => file.includes(o));

async function runNode(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const file of readdirSync(join(here, 'node')).filter((f) => f.endsWith('.bench.ts') && wanted(f)).sort()) {
    const mod = (await import(pathToFileURL(join(here, 'node', file)).href)) as { default: Benchmark | (() => Promise<Benchmark[]>) };
    const list = typeof mod.default === 'function' ? await mod.default() : [mod.default];
    for (const b of list) {
      process.stdout.write(`node    ${b.name} … `);
      const r = await runBenchmark(b);
      out.push(r);
      console.log(`${r.ours.medianMs} ms vs ${r.baseline.medianMs} ms baseline (×${r.ours.speedupVsBaseline})`);
    }
  }
  return out;
}

async function runBrowser(): Promise<BenchResult[]> {
  const files = readdirSync(join(here, 'browser')).filter((f) => f.endsWith('.bench.ts') && wanted(f)).sort();
  if (files.length === 0) return [];
  const server = await createServer({ root, configFile: false, logLevel: 'error', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
  const out: BenchResult[] = [];
  try {
    for (const file of files) {
      const stem = file.replace(/\.bench\.ts$/, '');
      process.stdout.write(`browser ${stem} … `);
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/bench/browser/page.html?bench=${stem}`);
      await page.waitForFunction(() => window.__benchDone !== undefined, undefined, { timeout: 600_000 });
      const done = await page.evaluate(() => window.__benchDone);
      await page.close();
      if (!done || 'error' in done) {
        console.log(`failed: ${done && 'error' in done ? done.error : 'no result'}`);
        continue;
      }
      for (const r of done.results) {
        out.push(r);
        console.log(`\n        ${r.name}: ${r.ours.medianMs} ms vs ${r.baseline.medianMs} ms baseline (×${r.ours.speedupVsBaseline})`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

const startedAt = new Date().toISOString();
const node = await runNode();
const browser = process.argv.includes('--node-only') ? [] : await runBrowser();
const results = {
  startedAt,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  note: 'speedupVsBaseline = baseline median / case median, measured interleaved in this one run.',
  benchmarks: [...node, ...browser],
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote bench/results/latest.json (${results.benchmarks.length} benchmarks)`);
