// The training session: load or create state, step until --steps/--minutes,
// checkpoint every few minutes (and on SIGINT/SIGTERM), then export.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import type { TrainArgs } from './args.ts';
import { initWasm } from './backend/wasm.ts';
import { type DiversityLog, loadCheckpoint, readCheckpointMeta, saveCheckpoint } from './checkpoint.ts';
import type { ImageSet } from './data/dataset.ts';
import { loadDicebearSet, WORK_DIR } from './data/dicebear.ts';
import { loadImageDir } from './data/imageDir.ts';
import { meanPairwiseDistance } from './diversity.ts';
import { formatDuration, progressBar, StepRate } from './progress.ts';
import { exportModel, fixedLatents, writeGridPng } from './export/exportModel.ts';
import { defaultConfig, type TrainConfig } from './model/config.ts';
import { createTrainState, realBatch, sampleImages, type TrainState, trainStep } from './trainer.ts';

export function loadData(args: TrainArgs, cfg: Pick<TrainConfig, 'size' | 'dataCount' | 'seed'>, log: (m: string) => void): ImageSet {
  if (args.data) return loadImageDir(args.data, cfg.size);
  return loadDicebearSet({
    size: cfg.size,
    count: cfg.dataCount,
    seed: 1,
    onProgress: (d, t) => log(`rendering dataset ${d}/${t}`),
  });
}

/**
 * The command that trains this model, for its card: sizes from the run's own config, not the command line (a resume
 * keeps the checkpoint's size and widths whatever the flags say; G's first width is 4 × --base).
 */
export function scriptLine(args: TrainArgs, cfg: TrainConfig): string {
  const base = (cfg.gChannels[0] ?? 4 * args.base) / 4;
  return `npm run train -- --out ${args.out} --size ${cfg.size} --batch ${cfg.batch} --base ${base}` +
    (args.data ? ` --data ${args.data}` : ` --count ${cfg.dataCount}`);
}

/** EMA samples vs real images, same count, mean pairwise L2. */
function diversityRatio(s: TrainState): number {
  const n = 64;
  const z = fixedLatents(n, s.cfg.latent);
  const fake = sampleImages(s.ema, s.cfg, z);
  z.dispose();
  const idx = Array.from({ length: Math.min(n, s.data.count) }, (_, i) => Math.floor((i * s.data.count) / n));
  const per = s.cfg.size * s.cfg.size * 3;
  const r = new Uint8Array(idx.length * per);
  idx.forEach((k, i) => r.set(s.data.pixels.subarray(k * per, (k + 1) * per), i * per));
  return meanPairwiseDistance(fake, n) / Math.max(1e-6, meanPairwiseDistance(r, idx.length));
}

export async function runTraining(args: TrainArgs, log: (m: string) => void = console.log): Promise<TrainState> {
  await initWasm();
  const ckptDir = path.join(args.out, 'checkpoint');
  const meta = readCheckpointMeta(ckptDir);
  let state: TrainState;
  let history: DiversityLog[] = [];
  if (meta) {
    const data = args.exportOnly
      ? { size: meta.cfg.size, count: meta.dataCount, pixels: new Uint8Array(0), description: meta.dataDescription }
      : loadData(args, meta.cfg, log);
    ({ state } = loadCheckpoint(ckptDir, data));
    history = meta.diversity;
    log(`resumed ${ckptDir} at step ${state.step} (${(state.seconds / 3600).toFixed(2)} h trained)`);
  } else {
    if (args.exportOnly) throw new Error(`--export-only: no checkpoint in ${ckptDir}`);
    const cfg = defaultConfig(args.size, args.batch, args.base);
    cfg.dataCount = args.count;
    if (args.seed !== null) cfg.seed = args.seed;
    const data = loadData(args, cfg, log);
    cfg.dataCount = data.count;
    state = createTrainState(cfg, data);
    log(`fresh run: G ${state.g.countParams()} params ${JSON.stringify(cfg.gChannels)}, D ${state.dVars.reduce((a, v) => a + v.size, 0)} params ${JSON.stringify(cfg.dChannels)}, ${data.count} images`);
  }
  const exportOpts = { out: args.out, dicebear: args.data === null, script: scriptLine(args, state.cfg) };
  if (args.exportOnly) {
    await exportModel(state, exportOpts);
    log(`exported step ${state.step} to ${args.out}`);
    return state;
  }
  // One history folder per model: two runs side by side (a 32×32 and a 64×64) must not overwrite each other's grids.
  const histDir = path.join(WORK_DIR, 'history', path.basename(path.resolve(args.out)));
  fs.mkdirSync(histDir, { recursive: true });
  const checkpoint = (): void => {
    const ratio = diversityRatio(state);
    history.push({ step: state.step, ratio: Number(ratio.toFixed(4)) });
    saveCheckpoint(state, ckptDir, history);
    const z = fixedLatents(64, state.cfg.latent);
    const img = sampleImages(state.ema, state.cfg, z);
    z.dispose();
    writeGridPng(path.join(ckptDir, 'samples.png'), img, 64, state.cfg.size, 8);
    writeGridPng(path.join(histDir, `samples-${String(state.step).padStart(7, '0')}.png`), img, 64, state.cfg.size, 8);
    log(`checkpoint step ${state.step}, diversity ratio ${ratio.toFixed(3)}`);
  };
  let stop = false;
  const onSignal = (): void => {
    stop = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const t0 = Date.now();
  let lastCkpt = Date.now();
  let lastLog = Date.now();
  let lastLogStep = state.step;
  const rate = new StepRate();
  let sessionSeconds = 0;
  let dSum = 0;
  let gSum = 0;
  let nSum = 0;
  const startSeconds = state.seconds;
  while (!stop && state.step < args.steps && (Date.now() - t0) / 60000 < args.minutes) {
    const r = trainStep(state);
    sessionSeconds = (Date.now() - t0) / 1000;
    state.seconds = startSeconds + sessionSeconds;
    dSum += r.dLoss;
    gSum += r.gLoss;
    nSum++;
    if (!Number.isFinite(r.dLoss) || !Number.isFinite(r.gLoss)) throw new Error(`loss became NaN at step ${state.step}`);
    if (state.step % args.logEvery === 0) {
      const dt = (Date.now() - lastLog) / 1000 / Math.max(1, state.step - lastLogStep);
      const avg = rate.add(dt);
      const bounded = args.steps < 1_000_000;
      const bySteps = bounded ? (args.steps - state.step) * avg : Infinity;
      const byMinutes = args.minutes * 60 - sessionSeconds;
      const eta = formatDuration(Math.min(bySteps, byMinutes));
      const bar = bounded ? ` ${progressBar(state.step, args.steps)}` : '';
      log(
        `step ${state.step}${bounded ? `/${args.steps}` : ''}${bar} ${dt.toFixed(3)} s/step (${(1 / dt).toFixed(2)} step/s) ` +
          `D ${(dSum / nSum).toFixed(3)} G ${(gSum / nSum).toFixed(3)} ETA ${eta} mem ${tf.memory().numTensors}`,
      );
      lastLog = Date.now();
      lastLogStep = state.step;
      dSum = gSum = nSum = 0;
    }
    if ((Date.now() - lastCkpt) / 1000 >= args.checkpointEvery) {
      checkpoint();
      lastCkpt = Date.now();
    }
    // Yield so signals are delivered between steps.
    if (state.step % 10 === 0) await new Promise((r) => setImmediate(r));
  }
  checkpoint();
  await exportModel(state, exportOpts);
  log(`done at step ${state.step}; exported to ${args.out}`);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return state;
}

export { realBatch };
