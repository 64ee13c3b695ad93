/**
 * GANSpace in w for an imported StyleGAN (Härkönen et al. 2020, §3.1: for StyleGAN the principal components of w
 * sampled through the mapping network are themselves the directions — no regression back to z is needed, because
 * the walker walks in w). Samples w on the CPU (src/core/stylegan/cpu-mapping.ts, no tfjs), so even a 1024 px
 * model's directions take seconds; the contact sheets run the synthesis network on tfjs's wasm backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { DirectionSet, LatentDirection } from '../../src/core/latent/directions.ts';
import { principalComponents } from '../../src/core/latent/pca.ts';
import { latentFromSeed } from '../../src/core/latent/seed-latent.ts';
import { truncateInto } from '../../src/core/latent/truncation.ts';
import type { ModelCard } from '../../src/core/model-card/types.ts';
import { CpuMapping } from '../../src/core/stylegan/cpu-mapping.ts';
import type { StyleGanNetwork } from '../../src/core/stylegan/network.ts';
import { loadModelCard } from '../../src/generator/model-loader.ts';
import { loadStyleGanNetwork } from '../../src/generator/stylegan/loader.ts';
import { createStyleGanRuntime } from '../../src/generator/stylegan/runtime.ts';
import { fileFetch } from '../lib/model-files.ts';
import type { RasterImage } from '../lib/png.ts';
import { DEFAULT_STEPS } from './contact-sheet.ts';

export const W_LAYER = 'mapping (w)';
const GAP = 2;
/** Sheet tiles are box-filtered down to at most this many pixels, so a 1024 px model's sheet stays a few MB. */
const MAX_TILE = 128;
const MIN_TILE = 64;

export interface StyleGanModel {
  readonly card: ModelCard;
  readonly net: StyleGanNetwork;
  readonly mapping: CpuMapping;
}

export function isStyleGanCard(card: unknown): boolean {
  const format = typeof card === 'object' && card !== null ? (card as Record<string, unknown>).format : undefined;
  return format === 'stylegan2' || format === 'stylegan3';
}

/** The folder through the page's own loader (card validated, every weight checked against the architecture). */
export async function loadStyleGanFolder(dir: string): Promise<StyleGanModel> {
  const fetchFn = fileFetch(dir);
  const card = await loadModelCard('http://local/', fetchFn);
  const net = await loadStyleGanNetwork('http://local/', card, fetchFn);
  return { card, net, mapping: new CpuMapping(net) };
}

export interface WDirectionsOptions {
  readonly samples: number;
  readonly components: number;
  readonly seed: number;
  readonly model: string;
}

/** w of portraits seed, seed + 1, …, PCA, one direction per component with σ its standard deviation. */
export function findWDirections(mapping: CpuMapping, o: WDirectionsOptions): { set: DirectionSet; pcaIterations: number } {
  const d = mapping.wDim;
  const m = o.samples;
  const w = new Float32Array(m * d);
  const z = new Float32Array(mapping.zDim);
  for (let i = 0; i < m; i++) mapping.mapInto(latentFromSeed(o.seed + i, mapping.zDim, z), w.subarray(i * d, (i + 1) * d));
  const k = Math.min(o.components, m - 1, d);
  const pca = principalComponents(w, m, d, k, { seed: o.seed });
  const directions: LatentDirection[] = pca.components.map((c, i) => {
    const share = (pca.variances[i] as number) / pca.totalVariance;
    return {
      name: `pc${i}`,
      vector: Float32Array.from(c),
      sigma: Math.sqrt(pca.variances[i] as number),
      explainedVariance: Math.min(1, Math.max(0, share)),
      description: `Principal component ${i} of w (${(share * 100).toFixed(1)}% of its variance); name it after looking at the contact sheet.`,
    };
  });
  return {
    set: {
      latentSize: d,
      space: 'w',
      provenance: { model: o.model, method: 'ganspace-pca', layer: W_LAYER, samples: m, seed: o.seed, created: new Date().toISOString(), tool: 'tools/directions/cli.ts' },
      directions,
    },
    pcaIterations: pca.iterations,
  };
}

/**
 * One sheet per direction: one row per seed, one column per step (−3σ … 3σ), each w = truncate(map(z(seed)), ψ,
 * w_avg) + step·σ·d — what the walker shows for that steer value — through the synthesis network.
 */
export async function renderWContactSheets(model: StyleGanModel, directions: readonly LatentDirection[], seeds: readonly number[], truncation: number): Promise<RasterImage[]> {
  const { mapping } = model;
  const runtime = createStyleGanRuntime(model.net);
  try {
    const d = mapping.wDim;
    const centre = mapping.wAvg ?? undefined;
    const base = seeds.map((s) => {
      const w = mapping.mapInto(latentFromSeed(s, mapping.zDim), new Float32Array(d));
      return truncateInto(w, truncation, centre, w);
    });
    const steps = DEFAULT_STEPS;
    const sheets: RasterImage[] = [];
    for (const dir of directions) {
      const rows: Float32Array[][] = [];
      for (const b of base) {
        const ws = new Float32Array(steps.length * runtime.numWs * d);
        steps.forEach((step, c) => {
          for (let l = 0; l < runtime.numWs; l++) {
            const at = (c * runtime.numWs + l) * d;
            for (let j = 0; j < d; j++) ws[at + j] = (b[j] as number) + step * dir.sigma * (dir.vector[j] as number);
          }
        });
        const img = tf.tidy(() => runtime.synthesis(tf.tensor3d(ws, [steps.length, runtime.numWs, d])));
        const data = (await img.data()) as Float32Array;
        img.dispose();
        const per = runtime.resolution * runtime.resolution * runtime.imgChannels;
        rows.push(steps.map((_, c) => data.subarray(c * per, (c + 1) * per)));
      }
      sheets.push(tileSheet(rows, runtime.resolution, runtime.imgChannels));
    }
    return sheets;
  } finally {
    runtime.dispose();
  }
}

function tileSheet(rows: readonly (readonly Float32Array[])[], res: number, ch: number): RasterImage {
  const down = Math.max(1, Math.ceil(res / MAX_TILE));
  const small = Math.floor(res / down);
  const up = Math.max(1, Math.ceil(MIN_TILE / small));
  const tile = small * up;
  const cols = rows[0]?.length ?? 0;
  const width = cols * tile + (cols + 1) * GAP;
  const height = rows.length * tile + (rows.length + 1) * GAP;
  const data = new Uint8Array(width * height * 3).fill(24);
  const toByte = (v: number): number => Math.max(0, Math.min(255, Math.round(((v + 1) / 2) * 255)));
  rows.forEach((row, r) =>
    row.forEach((img, c) => {
      const x0 = GAP + c * (tile + GAP);
      const y0 = GAP + r * (tile + GAP);
      for (let y = 0; y < tile; y++) {
        for (let x = 0; x < tile; x++) {
          const sy = Math.floor(y / up) * down;
          const sx = Math.floor(x / up) * down;
          for (let k = 0; k < 3; k++) {
            let s = 0;
            for (let dy = 0; dy < down; dy++) for (let dx = 0; dx < down; dx++) s += img[((sy + dy) * res + sx + dx) * ch + Math.min(k, ch - 1)] as number;
            data[((y0 + y) * width + x0 + x) * 3 + k] = toByte(s / (down * down));
          }
        }
      }
    }),
  );
  return { width, height, channels: 3, data };
}
