import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/generator/create.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import type { Generator } from '../../src/generator/generator.ts';
import { buildTinyModelFiles, memoryFetch, seededLatents, TINY } from '../fixtures/models/tiny.ts';

/**
 * The GPU hand-off on one WebGL2 context: tfjs runs on three's context, a generated frame is a texture three can
 * sample, and its texels equal the bytes the readback path downloads.
 */
const BASE = '/mem/tiny/';
const N = TINY.size;
let renderer: THREE.WebGLRenderer;
let gl: WebGL2RenderingContext;
let generator: Generator;

beforeAll(async () => {
  const canvas = document.createElement('canvas');
  renderer = new THREE.WebGLRenderer({ canvas, antialias: false });
  renderer.setPixelRatio(1);
  renderer.setSize(N, N, false);
  gl = renderer.getContext() as WebGL2RenderingContext;
  const files = await buildTinyModelFiles();
  generator = await createGenerator({
    modelUrl: BASE,
    backends: ['webgl'],
    gl,
    resetRendererState: () => renderer.resetState(),
    fetch: memoryFetch(BASE, files),
    warmupBatches: [1, 3],
    log: () => {},
  });
});

afterAll(() => {
  generator.dispose();
  renderer.dispose();
});

/** Reads a frame's texture through a framebuffer on the same context, as RGBA bytes (row 0 first). */
function readTexture(frame: GeneratedFrame): Uint8Array {
  if (frame.kind !== 'webgl-texture') throw new Error(`expected a texture frame, got ${frame.kind}`);
  renderer.resetState();
  const fb = gl.createFramebuffer();
  gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, frame.texture, 0);
  expect(gl.checkFramebufferStatus(gl.FRAMEBUFFER)).toBe(gl.FRAMEBUFFER_COMPLETE);
  const f = new Float32Array(frame.width * frame.height * 4);
  gl.readPixels(0, 0, frame.width, frame.height, gl.RGBA, gl.FLOAT, f);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.deleteFramebuffer(fb);
  renderer.resetState();
  return Uint8Array.from(f, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

function bytes(frame: GeneratedFrame): Uint8ClampedArray {
  if (frame.kind !== 'pixels') throw new Error(`expected a pixels frame, got ${frame.kind}`);
  return frame.data;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

/** Draws the texture over the whole canvas with three (ExternalTexture, nearest texels) and reads the canvas back. */
function drawWithThree(frame: GeneratedFrame): Uint8Array {
  if (frame.kind !== 'webgl-texture') throw new Error('expected a texture frame');
  const map = new THREE.ExternalTexture(frame.texture);
  const material = new THREE.ShaderMaterial({
    uniforms: { map: { value: map } },
    vertexShader: 'varying vec2 vUv; void main() { vUv = uv; gl_Position = vec4(position.xy, 0.0, 1.0); }',
    fragmentShader: 'uniform sampler2D map; varying vec2 vUv; void main() { gl_FragColor = texture2D(map, vUv); }',
  });
  const quad = new THREE.Mesh(new THREE.PlaneGeometry(2, 2), material);
  const scene = new THREE.Scene();
  scene.add(quad);
  renderer.render(scene, new THREE.Camera());
  const px = new Uint8Array(frame.width * frame.height * 4);
  gl.readPixels(0, 0, frame.width, frame.height, gl.RGBA, gl.UNSIGNED_BYTE, px);
  quad.geometry.dispose();
  material.dispose();
  map.dispose();
  return px;
}

/** A busy three frame (depth, blending, its own texture and program) to disturb the shared GL state. */
function renderSomethingElse(): void {
  const tex = new THREE.DataTexture(new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]), 2, 2);
  tex.needsUpdate = true;
  const scene = new THREE.Scene();
  const mesh = new THREE.Mesh(new THREE.BoxGeometry(1, 1, 1), new THREE.MeshBasicMaterial({ map: tex, transparent: true, opacity: 0.5 }));
  scene.add(mesh);
  const camera = new THREE.PerspectiveCamera(60, 1, 0.1, 10);
  camera.position.z = 2;
  renderer.render(scene, camera);
  mesh.geometry.dispose();
  mesh.material.dispose();
  tex.dispose();
}

describe('generator: GPU hand-off on three\'s WebGL2 context', () => {
  it('runs tfjs on the renderer\'s context and hands frames over as textures', () => {
    expect(generator.backend.tfName).toBe('webgl-shared');
    expect(generator.backend.sharedGl).toBe(gl);
    expect(generator.handoff).toBe('webgl-texture');
  });

  it('texture texels equal the readback path\'s bytes, frame by frame', async () => {
    const z = seededLatents(3, TINY.latent, 21);
    const textures = await generator.generate(z, 3);
    const pixels = await generator.generate(z, 3, { readback: true });
    expect(textures.map((f) => f.kind)).toEqual(['webgl-texture', 'webgl-texture', 'webgl-texture']);
    for (let i = 0; i < 3; i++) {
      const t = readTexture(textures[i]!);
      expect(maxDiff(t, bytes(pixels[i]!))).toBeLessThanOrEqual(1);
      // A real picture, not zeros from a broken shared state.
      expect(Math.max(...t.filter((_, k) => k % 4 !== 3))).toBeGreaterThan(100);
    }
    expect(maxDiff(readTexture(textures[0]!), readTexture(textures[1]!))).toBeGreaterThan(20);
    for (const f of [...textures, ...pixels]) f.release();
  });

  it('three draws the texture as is: canvas row 0 (bottom, v = 0) is image row 0', async () => {
    const z = seededLatents(1, TINY.latent, 22);
    const [tex] = await generator.generate(z, 1);
    const [ref] = await generator.generate(z, 1, { readback: true });
    const drawn = drawWithThree(tex!);
    expect(maxDiff(drawn, bytes(ref!))).toBeLessThanOrEqual(1);
    tex!.release();
    ref!.release();
  });

  it('stays correct with three rendering between generations', async () => {
    const z = seededLatents(2, TINY.latent, 23);
    const ref = (await generator.generate(z, 2, { readback: true })).map((f) => bytes(f).slice());
    for (let round = 0; round < 3; round++) {
      renderSomethingElse();
      const frames = await generator.generate(z, 2);
      renderSomethingElse();
      for (let i = 0; i < 2; i++) expect(maxDiff(readTexture(frames[i]!), ref[i]!)).toBeLessThanOrEqual(1);
      for (const f of frames) f.release();
    }
  });
});
