import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGenerator, moduleAt } from '../../../src/core/stylegan/architecture.ts';
import type { KwargsRecord } from '../../../src/core/stylegan/kwargs.ts';
import type { StyleGanNetwork } from '../../../src/core/stylegan/network.ts';
import { referenceMap, referenceSynthesize } from '../../support/stylegan-reference/index.ts';
import { goldenNetwork, relativeError, type GoldenCase, type GoldenConfig, type GoldenFile } from '../../support/stylegan-golden.ts';

/**
 * The CPU reference against NVIDIA's own code: fixtures/nvidia-golden.json holds tiny generators built by
 * NVlabs/stylegan2-ada-pytorch and NVlabs/stylegan3 (their constructors, state_dicts and module attributes) and what
 * their G.mapping and G.synthesis returned for fixed z and c (see fixtures/README.md). Loading those tensors into the
 * tree our builder makes from the same init kwargs also checks the builder against the real constructors.
 */

const golden = JSON.parse(readFileSync(new URL('./fixtures/nvidia-golden.json', import.meta.url), 'utf8')) as GoldenFile;

/** Deep equality with numbers compared to 1e-12 relative (Python computes some attributes in numpy float64). */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return sameValue(ka, kb) && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function renderCase(net: StyleGanNetwork, cfg: GoldenConfig, cs: GoldenCase): { ws: Float32Array; img: Float32Array } {
  const ws = referenceMap(net, Float32Array.from(cfg.z), cfg.c === null ? undefined : Float32Array.from(cfg.c), {
    truncationPsi: cs.truncationPsi,
    truncationCutoff: cs.truncationCutoff,
  });
  return { ws, img: referenceSynthesize(net, Float32Array.from(cs.ws), { noiseMode: cs.noiseMode }) };
}

const byName = (name: string): GoldenConfig => {
  const cfg = golden.configs.find((c) => c.name === name);
  if (cfg === undefined) throw new Error(`golden fixture has no config '${name}'`);
  return cfg;
};

describe('NVIDIA golden fixture', () => {
  it('covers StyleGAN2-ADA orig/skip/resnet, conditional, clamped, the stylegan3 repo’s StyleGAN2, and StyleGAN3-T/-R', () => {
    expect(golden.format).toBe('sitter-stylegan-golden/1');
    expect(golden.configs.map((c) => c.name)).toEqual([
      'sg2-skip', 'sg2-orig', 'sg2-resnet', 'sg2-cond', 'sg2-orig-clamp', 'sg3-t', 'sg3-r', 'sg3-t-cond-clamp', 'sg2new-resnet',
    ]);
  });

  for (const cfg of golden.configs) {
    describe(`${cfg.name} (${cfg.repository} ${cfg.moduleName})`, () => {
      it('our builder makes the same state_dict: names, order and shapes', () => {
        const ours = buildGenerator({ moduleName: cfg.moduleName, initKwargs: cfg.initKwargs });
        expect([...ours.tensors.entries()].map(([k, t]) => [k, t.shape])).toEqual(cfg.stateDict.map((t) => [t.name, t.shape]));
        // The FIR buffers the constructors compute (setup_filter, firwin, the radial jinc) match too.
        for (const t of cfg.stateDict) {
          if (!/(resample_filter|up_filter|down_filter)$/.test(t.name)) continue;
          const mine = ours.tensors.get(t.name)?.data as Float32Array;
          expect(relativeError(mine, t.data), t.name).toBeLessThan(1e-6);
        }
      });

      it('our builder makes the same module tree: classes, init kwargs, attributes, parameter/buffer/child names', () => {
        const ours = buildGenerator({ moduleName: cfg.moduleName, initKwargs: cfg.initKwargs });
        for (const m of cfg.modules) {
          const mine = moduleAt(ours, m.path);
          const got = { className: mine.className, moduleName: mine.moduleName, attrs: mine.attrs, params: mine.params, buffers: mine.buffers, children: Object.keys(mine.children) };
          const want = { className: m.className, moduleName: m.moduleName, attrs: m.attrs, params: m.params, buffers: m.buffers, children: m.children };
          expect(sameValue(got, want), `${m.path || '<root>'}: ours ${JSON.stringify(got)}\nNVIDIA ${JSON.stringify(want)}`).toBe(true);
          if (m.initKwargs !== undefined) expect(sameValue(mine.initKwargs, m.initKwargs), `${m.path}.initKwargs`).toBe(true);
        }
      });

      for (const cs of cfg.cases) {
        it(`ψ ${cs.truncationPsi}, cutoff ${cs.truncationCutoff ?? 'none'}, noise ${cs.noiseMode}: ws and images match NVIDIA's`, () => {
          const net = goldenNetwork(cfg);
          const { ws, img } = renderCase(net, cfg, cs);
          expect(relativeError(ws, cs.ws)).toBeLessThan(1e-5);
          expect(relativeError(img, cs.img)).toBeLessThan(1e-5);
        });
      }
    });
  }

  // The golden would catch a reference (or runtime) that skipped these paths: each one changes the output far
  // beyond the tolerance above.
  describe('is sensitive to the paths it checks', () => {
    const firstCase = (cfg: GoldenConfig): GoldenCase => cfg.cases[0] as GoldenCase;

    it('conv_clamp engages in the clamped StyleGAN2 config', () => {
      const cfg = byName('sg2-orig-clamp');
      const synthesis = { ...(cfg.initKwargs.synthesis_kwargs as KwargsRecord), conv_clamp: null };
      const { img } = renderCase(goldenNetwork(cfg, { ...cfg.initKwargs, synthesis_kwargs: synthesis }), cfg, firstCase(cfg));
      expect(relativeError(img, firstCase(cfg).img)).toBeGreaterThan(1e-2);
    });

    it('conv_clamp engages in the clamped StyleGAN3 config', () => {
      const cfg = byName('sg3-t-cond-clamp');
      const { img } = renderCase(goldenNetwork(cfg, { ...cfg.initKwargs, conv_clamp: null }), cfg, firstCase(cfg));
      expect(relativeError(img, firstCase(cfg).img)).toBeGreaterThan(1e-2);
    });

    it('StyleGAN3 input transform and magnitude_ema are not identities in the fixture', () => {
      const cfg = byName('sg3-r');
      const net = goldenNetwork(cfg);
      const identity = new Map(net.tensors);
      identity.set('synthesis.input.transform', { shape: [3, 3], data: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]) });
      expect(relativeError(renderCase({ ...net, tensors: identity }, cfg, firstCase(cfg)).img, firstCase(cfg).img)).toBeGreaterThan(1e-2);
      const unitEma = new Map(net.tensors);
      for (const k of net.tensors.keys()) if (k.endsWith('magnitude_ema')) unitEma.set(k, { shape: [], data: Float32Array.from([1]) });
      expect(relativeError(renderCase({ ...net, tensors: unitEma }, cfg, firstCase(cfg)).img, firstCase(cfg).img)).toBeGreaterThan(1e-2);
    });

    it('StyleGAN2 const noise and truncation change the fixture outputs', () => {
      const cfg = byName('sg2-skip');
      const [cst, none, trunc] = cfg.cases as [GoldenCase, GoldenCase, GoldenCase];
      expect(none.noiseMode).toBe('none');
      expect(relativeError(none.img, cst.img)).toBeGreaterThan(1e-2);
      expect(relativeError(trunc.ws, cst.ws)).toBeGreaterThan(1e-2);
    });
  });
});
