import { buildGenerator, type GeneratorModuleName } from '../../src/core/stylegan/architecture.ts';
import type { KwargsRecord } from '../../src/core/stylegan/kwargs.ts';
import type { AttrValue, NamedTensor, StyleGanNetwork } from '../../src/core/stylegan/network.ts';

/**
 * The shape of tests/unit/stylegan/fixtures/nvidia-golden.json (what NVIDIA's own code built and computed for nine
 * tiny generators; see the README beside it) and the two things every test does with it. No fs here: unit tests read
 * the file, browser tests import it through Vite.
 */

export type GoldenNoiseMode = 'const' | 'random' | 'none';

export interface GoldenModule {
  readonly path: string;
  readonly className: string;
  readonly moduleName: string;
  readonly initKwargs?: Record<string, AttrValue>;
  readonly attrs: Record<string, AttrValue>;
  readonly params: string[];
  readonly buffers: string[];
  readonly children: string[];
}

export interface GoldenCase {
  readonly truncationPsi: number;
  readonly truncationCutoff: number | null;
  readonly noiseMode: GoldenNoiseMode;
  readonly ws: number[];
  readonly wsShape: number[];
  readonly img: number[];
  readonly imgShape: number[];
}

export interface GoldenConfig {
  readonly name: string;
  readonly repository: string;
  readonly commit: string;
  readonly moduleName: GeneratorModuleName;
  readonly initKwargs: KwargsRecord;
  readonly stateDict: { name: string; shape: number[]; data: number[] }[];
  readonly modules: GoldenModule[];
  readonly z: number[];
  readonly c: number[] | null;
  readonly n: number;
  readonly cases: GoldenCase[];
}

export interface GoldenFile {
  readonly format: string;
  readonly configs: GoldenConfig[];
}

/** Our builder's module tree for the config's kwargs, carrying NVIDIA's tensors. */
export function goldenNetwork(cfg: GoldenConfig, initKwargs: KwargsRecord = cfg.initKwargs): StyleGanNetwork {
  const built = buildGenerator({ moduleName: cfg.moduleName, initKwargs }, { init: 'pristine' });
  const tensors = new Map<string, NamedTensor>();
  for (const t of cfg.stateDict) tensors.set(t.name, { shape: t.shape, data: Float32Array.from(t.data) });
  return { ...built, tensors };
}

/** Largest |a − b| over the largest |b|: StyleGAN3 images are small (output_scale 0.25), so error is judged
 * against the signal's own range. Different lengths are an error, not a number. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relativeError: ${a.length} values against ${b.length}`);
  let e = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    e = Math.max(e, Math.abs((a[i] as number) - (b[i] as number)));
    m = Math.max(m, Math.abs(b[i] as number));
  }
  return e / m;
}
