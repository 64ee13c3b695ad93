import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import { createGenerator } from '../../src/generator/create.ts';
import type { Generator } from '../../src/generator/generator.ts';
import { SitterRenderer } from '../../src/render/renderer.ts';
import { seededLatents } from '../../tests/fixtures/models/tiny.ts';
import type { BenchCase, Benchmark } from '../harness.ts';

/**
 * The page's cost of a frame that brings a new portrait, with layout/upscale off and x4, in one run: the real
 * models/default generates on the renderer's WebGL context (texture hand-off), the learned upscaler (if on) runs
 * in the same tf.tidy, the frame is presented and the full scene (flow morph, Catmull-Rom, grade, grain,
 * vignette) drawn at 1920×1080; a 1-pixel readback waits for the GPU. The generate-only cases isolate the stage.
 */
const W = 1920;
const H = 1080;
const MODEL = '/models/default/';
const UPSCALER = '/models/upscale-x4/';

export default async function upscaleBenchmarks(): Promise<Benchmark[]> {
  const canvas = document.createElement('canvas');
  document.body.append(canvas);
  const bus = new ParameterBus(PARAMS);
  for (const [k, v] of Object.entries({ 'morph/mode': 'flow', 'grain/amount': 0.08, 'vignette/amount': 0.35, 'grade/contrast': 1.1 })) {
    bus.set(k, v, 'show', { immediate: true });
  }
  let t = 0;
  const r = new SitterRenderer({ bus, canvas, pixelRatio: 1, seed: 1, clock: { now: () => t } });
  r.resize(W, H);
  const gl = r.getContext();
  const px = new Uint8Array(4);
  const sync = (): void => gl.readPixels(W / 2, H / 2, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
  const mode = { value: 'off' };
  let generator: Generator | null = null;
  const info: Record<string, unknown> = { size: `${W}×${H}`, model: 'models/default', upscaler: 'models/upscale-x4' };
  let seed = 1;

  const pageFrame = (m: 'off' | 'x2' | 'x4'): BenchCase => ({
    name: `page frame with a new portrait, upscale ${m}: generate + present + draw 1920×1080`,
    units: 1,
    run: async () => {
      if (!generator) throw new Error('setup did not run');
      mode.value = m;
      const [frame] = await generator.generate(seededLatents(1, generator.latentSize, seed++), 1);
      t += 1;
      r.present(0, frame!, t);
      r.render(t + 0.5);
      sync();
    },
  });
  const generateOnly = (m: 'off' | 'x2' | 'x4'): BenchCase => ({
    name: `generate only (texture, until GPU done), upscale ${m}`,
    units: 1,
    run: async () => {
      if (!generator) throw new Error('setup did not run');
      mode.value = m;
      r.resetState();
      const frames = await generator.generate(seededLatents(1, generator.latentSize, seed++), 1);
      r.resetState();
      sync();
      for (const f of frames) f.release();
    },
  });

  return [
    {
      name: 'upscale: page frame cost with the learned x4 upscaler on vs off',
      description: 'models/default → models/upscale-x4 (×4; sizes in info.output) on the renderer\'s WebGL context, the full scene at 1920×1080; baseline: upscale off; x2 (the net on the half-size portrait) among the others.',
      unit: 'frame',
      info,
      async setup() {
        const t0 = performance.now();
        generator = await createGenerator({
          modelUrl: MODEL,
          upscalerUrl: UPSCALER,
          upscaleMode: () => mode.value,
          backends: ['webgl'],
          gl,
          resetRendererState: () => r.resetState(),
          warmupBatches: [1],
          log: (m) => console.info(m),
        });
        mode.value = 'x4';
        const warm = await generator.generate(seededLatents(1, generator.latentSize, 0), 1);
        for (const f of warm) f.release();
        info['loadAndWarmupMs'] = Math.round(performance.now() - t0);
        info['handoff'] = generator.handoff;
        info['output'] = `${generator.card.output.width} px, ${generator.card.output.width * 4} px upscaled`;
        info['upscaleLoaded'] = generator.upscaleFactor() === 4;
        if (!info['upscaleLoaded']) throw new Error('the upscaler did not load');
        const debug = gl.getExtension('WEBGL_debug_renderer_info');
        info['gl'] = debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
      },
      teardown() {
        generator?.dispose();
        generator = null;
        r.dispose();
        canvas.remove();
      },
      ours: pageFrame('x4'),
      baseline: pageFrame('off'),
      // x2 runs the net on the half-size portrait (a quarter of x4's work): the governor's first step down.
      others: [pageFrame('x2'), generateOnly('x4'), generateOnly('x2'), generateOnly('off')],
    },
  ];
}
