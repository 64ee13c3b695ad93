import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { buildGenerator } from '../../../src/core/stylegan/architecture.ts';
import { CpuMapping } from '../../../src/core/stylegan/cpu-mapping.ts';
import type { StyleGanNetwork } from '../../../src/core/stylegan/network.ts';
import { stylegan2AdaConfig, tinyStyleGan2, tinyStyleGan3 } from '../../../src/core/stylegan/presets.ts';
import { referenceMap } from '../../support/stylegan-reference/index.ts';
import { goldenNetwork, relativeError, type GoldenFile } from '../../support/stylegan-golden.ts';

const golden = JSON.parse(readFileSync(new URL('./fixtures/nvidia-golden.json', import.meta.url), 'utf8')) as GoldenFile;

describe('CpuMapping', () => {
  const nets: [string, StyleGanNetwork][] = [
    ['tiny StyleGAN2', buildGenerator(tinyStyleGan2(), { init: 'trained-like', seed: 3 })],
    ['tiny StyleGAN3', buildGenerator(tinyStyleGan3(), { init: 'trained-like', seed: 4 })],
    ['conditional StyleGAN2', buildGenerator(tinyStyleGan2({ cDim: 5 }), { init: 'trained-like', seed: 5 })],
    ['512-d, 8 layers', buildGenerator(stylegan2AdaConfig({ resolution: 8, channelBase: 64, channelMax: 8, mappingLayers: 8, zDim: 512, wDim: 512 }), { init: 'trained-like', seed: 6 })],
  ];
  for (const [name, net] of nets) {
    it(`matches the CPU reference's w for ${name} (every class of a conditional one)`, () => {
      const m = new CpuMapping(net);
      const classes = Math.max(1, m.cDim);
      for (let k = 0; k < classes; k++) {
        m.setClass(k);
        for (let seed = 0; seed < 3; seed++) {
          const z = latentFromSeed(seed, m.zDim);
          let c: Float32Array | undefined;
          if (m.cDim > 0) {
            c = new Float32Array(m.cDim);
            c[k] = 1;
          }
          const want = referenceMap(net, z, c).subarray(0, m.wDim);
          const got = m.mapInto(z, new Float32Array(m.wDim));
          expect(relativeError(got, want), `${name} class ${k} seed ${seed}`).toBeLessThan(1e-5);
        }
      }
    });
  }

  it('matches the ws NVIDIA\'s G.mapping returned for every golden config (labels as given; ψ < 1 cases lerped to w_avg here)', () => {
    let checked = 0;
    for (const cfg of golden.configs) {
      const m = new CpuMapping(goldenNetwork(cfg));
      const cDim = m.cDim;
      for (const cs of cfg.cases) {
        const [n, numWs, wDim] = cs.wsShape as [number, number, number];
        for (let b = 0; b < n; b++) {
          const c = cDim > 0 ? (cfg.c as number[]).slice(b * cDim, (b + 1) * cDim) : undefined;
          const w = m.mapInto(cfg.z.slice(b * m.zDim, (b + 1) * m.zDim), new Float32Array(wDim), c);
          const end = cs.truncationCutoff === null ? numWs : cs.truncationCutoff;
          for (let k = 0; k < numWs; k++) {
            const psi = k < end ? cs.truncationPsi : 1;
            const avg = m.wAvg as Float32Array;
            const want = cs.ws.slice((b * numWs + k) * wDim, (b * numWs + k + 1) * wDim);
            const mine = w.map((v, j) => (avg[j] as number) + psi * (v - (avg[j] as number)));
            expect(relativeError(mine, want), `${cfg.name} ψ ${cs.truncationPsi} image ${b} ws[${k}]`).toBeLessThan(1e-5);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('gives different w for different classes of a conditional model, and refuses a wrong z', () => {
    const net = buildGenerator(tinyStyleGan2({ cDim: 3 }), { init: 'trained-like', seed: 1 });
    const m = new CpuMapping(net);
    const z = latentFromSeed(1, m.zDim);
    const w0 = m.mapInto(z, new Float32Array(m.wDim));
    m.setClass(2);
    const w2 = m.mapInto(z, new Float32Array(m.wDim));
    expect(relativeError(w0, w2)).toBeGreaterThan(1e-3);
    expect(() => m.mapInto(new Float32Array(m.zDim + 1), new Float32Array(m.wDim))).toThrow(/z has 9 numbers, expected 8/);
  });

  it('keeps w_avg from the network', () => {
    const net = buildGenerator(tinyStyleGan2(), { init: 'trained-like', seed: 2 });
    expect(Array.from(new CpuMapping(net).wAvg as Float32Array)).toEqual(Array.from(net.tensors.get('mapping.w_avg')?.data ?? []));
  });
});
