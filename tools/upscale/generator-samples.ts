/**
 * Dumps a generator's portraits for the upscaler's side-by-side sheet: `npx tsx tools/upscale/generator-samples.ts
 * models/portrait-64 16` → tools/upscale/.work/gen-<id>.u8 (N×H×W×3 uint8, NHWC RGB) and .json, the same
 * sitter-renders layout the trainer's pack writes, so tools/upscale/evaluate.py reads both with one function.
 * Latents: seeded normals × the card's recommended truncation, the model run in Node on tfjs's CPU backend.
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { validateModelCard } from '../../src/core/model-card/validate.ts';
import { loadLayersModelFromDir } from '../lib/model-files.ts';

/** mulberry32 + Box–Muller: the same latents on every machine, with no dependency on the trainer's code. */
function seededNormals(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

const [dirArg, countArg] = process.argv.slice(2);
if (!dirArg) {
  console.error('usage: npx tsx tools/upscale/generator-samples.ts <model folder> [count=16]');
  process.exit(1);
}
const dir = path.resolve(dirArg);
const count = Number(countArg ?? 16);
const valid = validateModelCard(JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8')), path.join(dir, 'card.json'));
if (!valid.ok) throw new Error(valid.errors.join('\n'));
const card = valid.card;
await tf.setBackend('cpu');
const model = await loadLayersModelFromDir(dir);
const z = seededNormals(count * card.latent.size, 20261202).map((v) => v * card.truncation.recommended);
const bytes = tf.tidy(() => {
  let y = model.predict(tf.tensor2d(z, [count, card.latent.size])) as tf.Tensor4D;
  if (card.output.layout === 'NCHW') y = tf.transpose(y, [0, 2, 3, 1]);
  if (card.output.channelOrder === 'BGR') y = tf.reverse(y, 3);
  if (card.output.range[0] === -1) y = tf.mul(tf.add(y, 1), 0.5);
  return tf.cast(tf.round(tf.mul(tf.clipByValue(y, 0, 1), 255)), 'int32');
});
const pixels = Uint8Array.from(await bytes.data());
bytes.dispose();
model.dispose();
const out = path.resolve(import.meta.dirname, '.work');
fs.mkdirSync(out, { recursive: true });
const stem = path.join(out, `gen-${card.id}`);
fs.writeFileSync(`${stem}.u8`, pixels);
const size = card.output.height;
fs.writeFileSync(`${stem}.json`, JSON.stringify({ format: 'sitter-renders', version: 1, layout: 'NHWC', dtype: 'uint8', channelOrder: 'RGB', size, count, model: card.id, truncation: card.truncation.recommended, seed: 20261202 }, null, 1));
console.log(`wrote ${stem}.u8 (${count}×${size}×${size}×3)`);
