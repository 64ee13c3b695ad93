// Exactly-resumable checkpoints: every variable (G, EMA-G, D incl. spectral-norm
// u vectors, both Adams' moments) as raw float32 in one .bin, plus a JSON
// manifest with shapes, step counters, the Rng state and the config.
// Written to temp files then renamed, so a crash never leaves a torn checkpoint.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import type { ImageSet } from './data/dataset.ts';
import type { TrainConfig } from './model/config.ts';
import { Rng } from './rng.ts';
import { createTrainState, type TrainState } from './trainer.ts';

export interface DiversityLog {
  step: number;
  ratio: number;
}

export interface CheckpointMeta {
  version: 1;
  step: number;
  seconds: number;
  adamGSteps: number;
  adamDSteps: number;
  rng: number[];
  cfg: TrainConfig;
  dataDescription: string;
  dataCount: number;
  diversity: DiversityLog[];
  tensors: { name: string; shape: number[]; offset: number }[];
}

function namedVariables(s: TrainState): [string, tf.Variable][] {
  const out: [string, tf.Variable][] = [];
  s.gVars.forEach((v, i) => out.push([`g/${i}`, v]));
  s.emaVars.forEach((v, i) => out.push([`ema/${i}`, v]));
  s.d.layers.forEach((l) => out.push([`d/${l.name}/w`, l.w], [`d/${l.name}/b`, l.b], [`d/${l.name}/u`, l.u]));
  for (const a of [s.adamG, s.adamD]) {
    a.m.forEach((v, i) => out.push([`${a.prefix}/m/${i}`, v]));
    a.v.forEach((v, i) => out.push([`${a.prefix}/v/${i}`, v]));
  }
  return out;
}

export function saveCheckpoint(s: TrainState, dir: string, diversity: DiversityLog[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const vars = namedVariables(s);
  const total = vars.reduce((a, [, v]) => a + v.size, 0);
  const buf = new Float32Array(total);
  const tensors: CheckpointMeta['tensors'] = [];
  let off = 0;
  for (const [name, v] of vars) {
    buf.set(v.dataSync() as Float32Array, off);
    tensors.push({ name, shape: v.shape, offset: off });
    off += v.size;
  }
  const meta: CheckpointMeta = {
    version: 1,
    step: s.step,
    seconds: s.seconds,
    adamGSteps: s.adamG.t,
    adamDSteps: s.adamD.t,
    rng: Array.from(s.rng.state()),
    cfg: s.cfg,
    dataDescription: s.data.description,
    dataCount: s.data.count,
    diversity,
    tensors,
  };
  const bin = path.join(dir, 'checkpoint.bin');
  const json = path.join(dir, 'checkpoint.json');
  fs.writeFileSync(`${bin}.tmp`, new Uint8Array(buf.buffer));
  fs.writeFileSync(`${json}.tmp`, JSON.stringify(meta, null, 1));
  fs.renameSync(`${bin}.tmp`, bin);
  fs.renameSync(`${json}.tmp`, json);
}

export function readCheckpointMeta(dir: string): CheckpointMeta | null {
  const json = path.join(dir, 'checkpoint.json');
  if (!fs.existsSync(json)) return null;
  const meta = JSON.parse(fs.readFileSync(json, 'utf8')) as CheckpointMeta;
  if (meta.version !== 1) throw new Error(`${json}: unknown checkpoint version ${String(meta.version)}`);
  return meta;
}

/** Rebuilds a training state from a checkpoint; `data` must be the same set. */
export function loadCheckpoint(dir: string, data: ImageSet): { state: TrainState; meta: CheckpointMeta } {
  const meta = readCheckpointMeta(dir);
  if (!meta) throw new Error(`no checkpoint in ${dir}`);
  const raw = fs.readFileSync(path.join(dir, 'checkpoint.bin'));
  const buf = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const s = createTrainState(meta.cfg, data);
  const byName = new Map(namedVariables(s));
  for (const t of meta.tensors) {
    const v = byName.get(t.name);
    if (!v) throw new Error(`checkpoint tensor ${t.name} has no variable`);
    if (v.shape.join(',') !== t.shape.join(',')) throw new Error(`checkpoint tensor ${t.name}: shape mismatch`);
    tf.tidy(() => v.assign(tf.tensor(buf.slice(t.offset, t.offset + v.size), t.shape)));
  }
  if (byName.size !== meta.tensors.length) throw new Error('checkpoint is missing variables');
  s.step = meta.step;
  s.seconds = meta.seconds;
  s.adamG.t = meta.adamGSteps;
  s.adamD.t = meta.adamDSteps;
  s.rng = new Rng(Uint32Array.from(meta.rng));
  return { state: s, meta };
}
