/**
 * Walking a StyleGAN in w on the CPU: one 512-d, 8-layer mapping (what every keyframe, and every tick of the random
 * and jitter drifts, costs; src/core/latent/README.md) against the independent CPU reference (float64, module
 * lookups per call) in the same run, and the walker's ticks in w per mode.
 */
import type { Benchmark } from '../harness.ts';
import { MappedSpace } from '../../src/core/latent/latent-space.ts';
import { latentFromSeed } from '../../src/core/latent/seed-latent.ts';
import { createWalkSettings } from '../../src/core/latent/walk-settings.ts';
import { Walker } from '../../src/core/latent/walker.ts';
import { buildGenerator } from '../../src/core/stylegan/architecture.ts';
import { CpuMapping } from '../../src/core/stylegan/cpu-mapping.ts';
import { stylegan2AdaConfig } from '../../src/core/stylegan/presets.ts';
import { referenceMap } from '../../tests/support/stylegan-reference/index.ts';

const DIM = 512;
const LAYERS = 8;
const MAPS = 16;
const TICKS = 64;
const DT = 1 / 60;

// The official configs' mapping (z 512 → w 512, 8 FC layers) in front of a minimal synthesis network.
const net = buildGenerator(stylegan2AdaConfig({ resolution: 8, channelBase: 64, channelMax: 8, mappingLayers: LAYERS, zDim: DIM, wDim: DIM }), { init: 'trained-like', seed: 1 });
const mapping = new CpuMapping(net);
const z = latentFromSeed(1, DIM);
const w = new Float32Array(DIM);
const zs = new Float32Array(MAPS * DIM).map((_, i) => z[i % DIM] as number);

function walkCase(mode: 'tour' | 'random' | 'noise-loop', jitter: number) {
  const walker = new Walker({ size: DIM, space: new MappedSpace(new CpuMapping(net)) });
  const s = createWalkSettings({ mode, jitter, keyframeSeconds: 2, truncation: 0.7 });
  return {
    name: `walker in w, ${TICKS} ticks at 60/s (${mode}${jitter > 0 ? ', jitter' : ''})`,
    units: TICKS,
    run: (): number => {
      for (let i = 0; i < TICKS; i++) walker.step(DT, s);
      return walker.latent()[0] as number;
    },
  };
}

const bench: Benchmark = {
  name: 'walker-w',
  description: `${MAPS} mappings of a ${DIM}-d, ${LAYERS}-layer StyleGAN mapping network on the CPU per run; walker ticks in w`,
  unit: 'mapping',
  ours: {
    name: 'CpuMapping.mapInto (float32 weights, gains folded in)',
    units: MAPS,
    run: (): number => {
      for (let i = 0; i < MAPS; i++) mapping.mapInto(z, w);
      return w[0] as number;
    },
  },
  baseline: {
    name: 'CPU reference referenceMap (float64, tests/support)',
    units: MAPS,
    run: (): number => referenceMap(net, zs)[0] as number,
  },
  others: [walkCase('tour', 0), walkCase('random', 0), walkCase('noise-loop', 0.3)],
  info: { zDim: DIM, wDim: DIM, mappingLayers: LAYERS },
};

export default bench;
