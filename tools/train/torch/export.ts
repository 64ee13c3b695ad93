// `npm run train:export -- --checkpoint <run>/checkpoint --out models/<id>`: a PyTorch checkpoint → a model folder the
// page loads unchanged. Python (export.py) writes the EMA generator as a stock TF.js layers model and PyTorch's own
// outputs for fixed latents; this side loads that export in tfjs, refuses it unless it reproduces PyTorch's outputs,
// then writes samples, interpolation and card.json (provenance from card.ts, plus where every step ran).
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLayersModelFromDir } from '../../lib/model-files.ts';
import { buildCard, keepGalleryProvenance, type ModelCard, readCard } from '../export/card.ts';
import { writeDisplaySamples } from '../export/displaySamples.ts';
import { fixedLatents, interpolationLatents, SAMPLE_SEED, toU8, writeGridPng } from '../export/exportModel.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);
export const PARITY_TOLERANCE = 1e-3;

/** The trainer's Python: $SITTER_PYTHON, else tools/train/torch/.venv (npm run train:venv). */
export function trainerPython(): string | null {
  const env = process.env['SITTER_PYTHON'];
  if (env) return env;
  const venv = path.join(HERE, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : null;
}

export interface TrainRun {
  device: string;
  trainer: string;
  steps: number;
  seconds: number;
}

/** What export.py reports about the checkpoint. */
export interface TorchExportInfo {
  step: number;
  seconds: number;
  runs: TrainRun[];
  init: { model: string; steps?: number; seconds?: number; script?: string; grown?: boolean } | null;
  cfg: {
    size: number;
    latent: number;
    batch: number;
    g_channels: number[];
    d_channels: number[];
    /** A G grown by one octave from `init.model` (train.py --grow-from); absent in checkpoints from before it existed. */
    rgb_skip?: boolean;
    rgb_detail?: boolean;
    freeze_steps?: number;
    aug_colour?: boolean;
    /** Norm layers with per-channel gains (train.py --channel-affine); absent in older checkpoints. */
    channel_affine?: number[];
  };
  /** The pack's sidecar: dicebear renders name their styles; a gallery's PNG folder (train:pack --data) has none. */
  data: { size: number; count: number; seed: number | null; styles: string[]; description: string } | null;
  torch: string;
}

export interface Reference {
  latents: number[][];
  shape: [number, number, number, number];
  file: string;
}

/** Max |tfjs − PyTorch| over the reference latents stored beside an export. */
export function parityError(model: tf.LayersModel, dir: string): number {
  const ref = JSON.parse(fs.readFileSync(path.join(dir, 'reference.json'), 'utf8')) as Reference;
  const buf = fs.readFileSync(path.join(dir, ref.file));
  const want = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const got = tf.tidy(() => (model.predict(tf.tensor2d(ref.latents)) as tf.Tensor).dataSync());
  if (got.length !== want.length) throw new Error(`${dir}: tfjs output has ${got.length} values, reference.bin ${want.length}`);
  let max = 0;
  for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i]! - want[i]!));
  return max;
}

export interface TorchExportOptions {
  checkpoint: string;
  out: string;
  python?: string;
  /** The upscaler that draws samples.png at display size (default: the shipped models/upscale-x4). */
  upscaler?: string;
}

function scriptLine(checkpoint: string, out: string, info: TorchExportInfo): string {
  const run = path.dirname(path.normalize(checkpoint));
  const c = info.cfg;
  const base = (c.g_channels[0] ?? 64) / 4;
  const dBase = c.d_channels[0] ?? 8;
  const seed = !info.init
    ? ''
    : c.rgb_skip
      ? ` --grow-from ${info.init.model} --grow-width ${c.g_channels[c.g_channels.length - 1]} --freeze-steps ${c.freeze_steps ?? 0}` +
        (c.rgb_detail ? ' --detail-only' : '')
      : ` --init-from ${info.init.model}`;
  return `npm run train:torch -- --out ${run} --size ${c.size} --batch ${c.batch} --base ${base} --d-base ${dBase}` + seed +
    (c.aug_colour === false ? ' --no-aug-colour' : '') + (c.channel_affine?.length ? ` --channel-affine ${c.channel_affine.join(',')}` : '') + `; npm run train:export -- --checkpoint ${path.normalize(checkpoint)} --out ${path.normalize(out)}`;
}

export async function exportTorchRun(opts: TorchExportOptions, log: (m: string) => void = console.log): Promise<ModelCard> {
  const python = opts.python ?? trainerPython();
  if (!python) throw new Error('no Python for the PyTorch trainer: run npm run train:venv first (or set SITTER_PYTHON)');
  if (!fs.existsSync(path.join(opts.checkpoint, 'checkpoint.pt'))) {
    throw new Error(`--checkpoint ${opts.checkpoint}: no checkpoint.pt there (a PyTorch run's <out>/checkpoint folder)`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitter-export-'));
  try {
    const infoFile = path.join(tmp, 'info.json');
    const r = spawnSync(python, [path.join(HERE, 'export.py'), '--checkpoint', opts.checkpoint, '--out', opts.out, '--info', infoFile], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`export.py failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as TorchExportInfo;
    const model = await loadLayersModelFromDir(opts.out);
    try {
      const err = parityError(model, opts.out);
      if (!(err < PARITY_TOLERANCE)) throw new Error(`${opts.out}: tfjs differs from PyTorch by ${err} (max abs), over ${PARITY_TOLERANCE}`);
      log(`tfjs matches PyTorch on the reference latents (max abs ${err.toExponential(2)})`);
      const size = info.cfg.size;
      const latent = info.cfg.latent;
      const z = fixedLatents(64, latent, SAMPLE_SEED, 0.8);
      writeGridPng(path.join(opts.out, 'samples-native.png'), toU8(model.predict(z) as tf.Tensor4D), 64, size, 8);
      const allowed = readCard(opts.out)?.upscale?.allow !== false;
      const sheet = await writeDisplaySamples(opts.out, model, { size, latent, allowed }, opts.upscaler);
      log(`samples.png: ${sheet.factor === 1 ? 'native size' : `×${sheet.factor} through the learned upscaler`} (${sheet.side} px portraits)`);
      const zi = interpolationLatents(4, 10, latent);
      writeGridPng(path.join(opts.out, 'interpolation.png'), toU8(model.predict(zi) as tf.Tensor4D), 40, size, 10);
      tf.dispose([z, zi]);
    } finally {
      model.dispose();
    }
    const steps = info.runs.reduce((a, x) => a + x.steps, 0);
    const seconds = info.runs.reduce((a, x) => a + x.seconds, 0);
    const previous = readCard(opts.out);
    const keepEval = previous && previous.training.steps === steps ? previous.eval : null;
    const dicebear = (info.data?.styles.length ?? 0) > 0;
    const built = buildCard(
      {
        id: path.basename(path.resolve(opts.out)),
        size: info.cfg.size,
        latent: info.cfg.latent,
        steps,
        seconds,
        batch: info.cfg.batch,
        imageCount: info.data?.count ?? 0,
        dataDescription: info.data?.description ?? 'unknown (the checkpoint names no data)',
        dicebear,
        script: scriptLine(opts.checkpoint, opts.out, info),
      },
      keepEval,
    );
    // A gallery's card keeps what the gallery wrote (title, authors, licence, consent, credits) across exports.
    const base = dicebear ? built : keepGalleryProvenance(built, previous);
    const card = {
      ...base,
      ...(previous?.upscale ? { upscale: previous.upscale } : {}),
      training: {
        ...base.training,
        trainer: `tools/train/torch (PyTorch ${info.torch}); G ${JSON.stringify(info.cfg.g_channels)}, D ${JSON.stringify(info.cfg.d_channels)}`,
        // Where every step ran, oldest first: a run seeded from a wasm-trained model lists that model's steps too.
        runs: info.runs,
        ...(info.init ? { seededFrom: info.init } : {}),
      },
    };
    fs.writeFileSync(path.join(opts.out, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
    log(`exported step ${steps} (${info.step} in PyTorch) to ${opts.out}`);
    return card;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
