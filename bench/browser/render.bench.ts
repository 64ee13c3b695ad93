import { DataTexture, LinearFilter, Mesh, MeshBasicMaterial, OrthographicCamera, PlaneGeometry, RGBAFormat, Scene, UnsignedByteType } from 'three';
import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import { SitterRenderer } from '../../src/render/renderer.ts';
import type { BenchCase, Benchmark } from '../harness.ts';

/**
 * Frame time of the scene at 1920×1080 for each stage, against the cheapest way to show a generated frame
 * (a three MeshBasicMaterial with a linearly filtered texture on a full-screen quad), on the same context in the
 * same run. Each run draws one frame mid-morph and reads one pixel back, so the GPU work is inside the timing.
 */
const W = 1920;
const H = 1080;
const SIDE = 64; // a typical generator output

type Settings = Readonly<Record<string, number | string>>;

const NEUTRAL: Settings = {
  'morph/mode': 'crossfade', 'grade/exposure': 0, 'grade/contrast': 1, 'grade/saturation': 1, 'grade/temperature': 0,
  'grade/tint': 0, 'grain/amount': 0, 'vignette/amount': 0, 'paint/amount': 0, 'paint/radius': 4,
};
const LOOK: Settings = {
  'grade/exposure': 0.3, 'grade/contrast': 1.15, 'grade/saturation': 0.9, 'grade/temperature': 0.2, 'grade/tint': 0.05,
  'grain/amount': 0.08, 'grain/size': 1.2, 'vignette/amount': 0.35, 'vignette/softness': 0.5,
};

function portrait(seed: number): GeneratedFrame {
  const data = new Uint8ClampedArray(SIDE * SIDE * 4);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const i = (y * SIDE + x) * 4;
      const d = Math.hypot(x - SIDE / 2, y - SIDE / 2.4) / SIDE;
      data[i] = 120 + 100 * Math.sin(x * 0.21 + seed) * (d < 0.3 ? 1 : 0.3);
      data[i + 1] = 90 + 60 * Math.cos(y * 0.17 + seed * 2);
      data[i + 2] = 80 + 70 * Math.sin((x + y) * 0.11 + seed);
      data[i + 3] = 255;
    }
  }
  return { kind: 'pixels', data, width: SIDE, height: SIDE, index: seed, release: () => {} };
}

export default async function renderBenchmarks(): Promise<Benchmark[]> {
  const canvas = document.createElement('canvas');
  document.body.append(canvas);
  const bus = new ParameterBus(PARAMS);
  const r = new SitterRenderer({ bus, canvas, pixelRatio: 1, seed: 1 });
  r.resize(W, H);
  r.present(0, portrait(1), 0);
  r.present(0, portrait(2), 1);
  const gl = r.getContext();
  const px = new Uint8Array(4);
  const sync = (): void => gl.readPixels(W / 2, H / 2, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);

  // The plain way: one textured quad, three's stock material.
  const plainFrame = portrait(1);
  if (plainFrame.kind !== 'pixels') throw new Error('portrait() makes pixels frames');
  const plainTexture = new DataTexture(plainFrame.data, SIDE, SIDE, RGBAFormat, UnsignedByteType);
  plainTexture.minFilter = LinearFilter;
  plainTexture.magFilter = LinearFilter;
  plainTexture.needsUpdate = true;
  const plainGeometry = new PlaneGeometry(2, 2);
  const plainMaterial = new MeshBasicMaterial({ map: plainTexture });
  const plainScene = new Scene().add(new Mesh(plainGeometry, plainMaterial));
  const camera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);

  const scene = (name: string, upscale: 'bicubic' | 'bilinear', ...layers: Settings[]): BenchCase => ({
    name,
    units: 1,
    run: () => {
      for (const layer of [NEUTRAL, ...layers]) for (const [k, v] of Object.entries(layer)) bus.set(k, v, 'show', { immediate: true });
      r.setUpscale(upscale);
      r.render(1.5); // halfway through the morph
      sync();
    },
  });

  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const info = {
    size: `${W}×${H}`,
    frame: `${SIDE}×${SIDE} pixels frames, mid-morph`,
    gl: debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER)),
    note: 'ms per drawn frame including a 1-pixel readback to wait for the GPU; SwiftShader here, real GPUs far faster',
  };

  const b: Benchmark = {
    name: 'render: morph + grading + grain + vignette at 1920×1080 vs a plain textured quad',
    description: 'Sitter scene (flow morph, Catmull-Rom upscale, grade, grain, vignette) against three MeshBasicMaterial showing the frame; others isolate each stage.',
    unit: 'frame',
    info,
    ours: scene('scene: flow + bicubic + grade + grain + vignette', 'bicubic', { 'morph/mode': 'flow' }, LOOK),
    baseline: {
      name: 'plain textured quad (MeshBasicMaterial, bilinear)',
      units: 1,
      run: () => {
        r.three.setRenderTarget(null);
        r.three.render(plainScene, camera);
        sync();
      },
    },
    others: [
      scene('crossfade, bilinear, no finish', 'bilinear'),
      scene('crossfade, bicubic, no finish', 'bicubic'),
      scene('crossfade, bicubic + grade + grain + vignette', 'bicubic', LOOK),
      scene('dissolve, bicubic + grade + grain + vignette', 'bicubic', { 'morph/mode': 'dissolve' }, LOOK),
      scene('flow + look + painterly r4', 'bicubic', { 'morph/mode': 'flow' }, LOOK, { 'paint/amount': 1, 'paint/radius': 4 }),
      scene('crossfade + look + painterly r2', 'bicubic', LOOK, { 'paint/amount': 1, 'paint/radius': 2 }),
    ],
    teardown: () => {
      plainTexture.dispose();
      plainGeometry.dispose();
      plainMaterial.dispose();
      r.dispose();
      canvas.remove();
    },
  };
  return [b];
}
