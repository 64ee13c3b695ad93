import { governedBus } from '../../src/app/governed-bus.ts';
import { FrameGovernor } from '../../src/core/governor/index.ts';
import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import { SitterRenderer } from '../../src/render/renderer.ts';
import type { BenchCase, Benchmark } from '../harness.ts';

/**
 * Frames per second held at 1280×720 over the same scripted show, with the frame-budget governor (src/core/governor)
 * on and off: the look set, then the painterly filter fading in from show second 1 to 3. Each case has its own
 * renderer, bus and show clock; a run draws one frame (read back one pixel so the GPU work is inside the timing),
 * advances its show clock by that frame's time and, for the governed case, feeds that time to the governor.
 * No generator here, so layout/upscale's cap has nothing to lower: the gain is resolution scale and paint radius.
 */
const W = 1280;
const H = 720;
const SIDE = 64;

function portrait(seed: number): GeneratedFrame {
  const data = new Uint8ClampedArray(SIDE * SIDE * 4);
  for (let i = 0; i < data.length; i += 4) {
    const x = (i / 4) % SIDE;
    const y = Math.floor(i / 4 / SIDE);
    data[i] = 120 + 100 * Math.sin(x * 0.21 + seed);
    data[i + 1] = 90 + 60 * Math.cos(y * 0.17 + seed * 2);
    data[i + 2] = 80 + 70 * Math.sin((x + y) * 0.11 + seed);
    data[i + 3] = 255;
  }
  return { kind: 'pixels', data, width: SIDE, height: SIDE, index: seed, release: () => {} };
}

interface Rig {
  readonly canvas: HTMLCanvasElement;
  /** Untyped names, as the other benches use it: the look below is written by name. */
  readonly bus: ParameterBus;
  readonly renderer: SitterRenderer;
  showS: number;
}

function rig(governor: FrameGovernor | null): Rig {
  const canvas = document.createElement('canvas');
  document.body.append(canvas);
  const bus = new ParameterBus(PARAMS);
  const look: Readonly<Record<string, number | string>> = {
    'morph/mode': 'flow', 'grade/contrast': 1.15, 'grain/amount': 0.08, 'vignette/amount': 0.35, 'paint/radius': 4, 'paint/amount': 0,
  };
  for (const [k, v] of Object.entries(look)) bus.set(k, v, 'show', { immediate: true });
  const renderer = new SitterRenderer({ bus: governor ? governedBus(bus, () => governor) : bus, canvas, pixelRatio: 1, seed: 1 });
  renderer.resize(W, H);
  renderer.present(0, portrait(1), 0);
  renderer.present(0, portrait(2), 1);
  renderer.setUpscale('bicubic');
  return { canvas, bus, renderer, showS: 0 };
}

export default async function governorBenchmarks(): Promise<Benchmark[]> {
  const governor = new FrameGovernor({ targetFps: 60 });
  const on = rig(governor);
  const off = rig(null);
  const px = new Uint8Array(4);

  const frame = (name: string, r: Rig, g: FrameGovernor | null): BenchCase => ({
    name,
    units: 1,
    run: () => {
      const t0 = performance.now();
      r.bus.set('paint/amount', Math.min(1, Math.max(0, (r.showS - 1) / 2)), 'cue', { immediate: true });
      r.renderer.render(1.5);
      const gl = r.renderer.getContext();
      // Pixel (0, 0): inside the drawing buffer at any resolution scale, so the wait for the GPU always happens.
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      const dt = (performance.now() - t0) / 1000;
      r.showS += dt;
      g?.tick(dt);
    },
  });

  const info: Record<string, unknown> = {
    size: `${W}×${H}`,
    show: 'flow morph + look; painterly r4 fading in from show second 1 to 3',
    target: '60 fps, default order',
  };
  const b: Benchmark = {
    name: 'governor: frames/s held at 1280×720 through a painterly fade, governor on vs off',
    description: 'The same scripted show drawn by two renderers; the governed one reads the bus through the governor\'s ceilings.',
    unit: 'frame',
    info,
    ours: frame('governor on (target 60 fps)', on, governor),
    baseline: frame('governor off', off, null),
    teardown: () => {
      info.governor = governor.describe();
      for (const r of [on, off]) {
        r.renderer.dispose();
        r.canvas.remove();
      }
    },
  };
  return [b];
}
