import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { cameraVideo } from '../support/camera-video.ts';
import { meanAbsDiff, signatureOf } from '../support/frame-signature.ts';

/** The browser project's promises: WebGL2 draws, WebGPU is there or says why not, the camera plays the test video. */
describe('headless Chromium harness', () => {
  it('draws a known colour with WebGL2 and reads it back', () => {
    const canvas = document.createElement('canvas');
    canvas.width = 8;
    canvas.height = 8;
    const gl = canvas.getContext('webgl2');
    expect(gl, 'WebGL2 context').not.toBeNull();
    if (!gl) return;
    gl.clearColor(0.2, 0.4, 0.6, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const px = new Uint8Array(4);
    gl.readPixels(4, 4, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    expect([...px]).toEqual([51, 102, 153, 255]);
  });

  it('finds a WebGPU adapter and runs a compute shader on it', async (ctx) => {
    if (!('gpu' in navigator)) {
      ctx.skip('navigator.gpu is missing: this Chromium build has no WebGPU');
      return;
    }
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) {
      ctx.skip('requestAdapter() returned null: WebGPU is disabled (needs --enable-unsafe-webgpu) or has no adapter');
      return;
    }
    const device = await adapter.requestDevice();
    const module = device.createShaderModule({
      code: `@group(0) @binding(0) var<storage, read_write> data: array<f32>;
             @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
               data[id.x] = f32(id.x) * 2.0 + 1.0;
             }`,
    });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const storage = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const readback = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: storage } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(1);
    pass.end();
    enc.copyBufferToBuffer(storage, 0, readback, 0, 16);
    device.queue.submit([enc.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    expect([...new Float32Array(readback.getMappedRange())]).toEqual([1, 3, 5, 7]);
    readback.unmap();
    device.destroy();
  });

  it('getUserMedia plays the frames of the test video', async () => {
    const { video, stop } = await cameraVideo();
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    if (!g) throw new Error('no 2d context');
    g.drawImage(video, 0, 0);
    const { data } = g.getImageData(0, 0, canvas.width, canvas.height);
    stop();

    const seen = signatureOf(data, canvas.width, canvas.height, 4);
    const refs = await commands.cameraSignatures();
    // The camera is somewhere in the pan: the closest source frame must match within video-codec noise.
    const best = Math.min(...refs.map((r) => meanAbsDiff(r, seen)));
    expect(canvas.width).toBe(448);
    expect(best).toBeLessThan(6);
    // And it is a picture, not a flat test pattern: patches differ a lot from each other.
    expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThan(80);
  });
});

