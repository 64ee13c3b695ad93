import type { Benchmark } from '../harness.ts';
import { PoseInput, type PoseUpdate } from '../../src/input/pose.ts';
import { cameraVideo } from '../../tests/support/camera-video.ts';

/**
 * Pose cost in headless Chromium, CPU delegate (XNNPACK wasm), on the fake camera's astronaut video:
 * 1. ms per detection (VIDEO mode, so after the first frame the tracker runs the landmark model on the tracked
 *    region): baseline the full model, ours the lite one; others: lite on a 1280×720 frame handed over as is vs
 *    drawn down to 320 px first (PoseInput's detectSize), the kiosk camera's case.
 * 2. the live loop (requestVideoFrameCallback → detect → features): ms between feature updates, lite vs full, and in
 *    `info` the end-to-end latency from the frame's capture (captureTime, else presentationTime) to the features.
 */
const LITE = '/models/pose/pose_landmarker_lite.task';
const FULL = '/models/pose/pose_landmarker_full.task';

function quantiles(xs: readonly number[]): { median: number; p90: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => Math.round((s[Math.min(s.length - 1, Math.round(p * (s.length - 1)))] ?? NaN) * 10) / 10;
  return { median: q(0.5), p90: q(0.9), n: s.length };
}

/** The next update of a running loop (resolves on the next features). */
function nextUpdate(p: PoseInput): Promise<PoseUpdate> {
  return new Promise((resolve) => {
    const off = p.onUpdate((u) => {
      off();
      resolve(u);
    });
  });
}

async function detectBench(): Promise<Benchmark> {
  let cam: Awaited<ReturnType<typeof cameraVideo>>;
  let lite: PoseInput;
  let full: PoseInput;
  let liteHd: PoseInput;
  let liteDown: PoseInput;
  const hd = new OffscreenCanvas(1280, 720);
  const info: Record<string, unknown> = { delegate: 'CPU', cameraFrame: '448×448', hdFrame: '1280×720 (camera frame centred)', downscaleTo: 320 };
  const detectOn = (p: () => PoseInput, frame: () => TexImageSource) => () => {
    const u = p().detect(frame(), performance.now());
    if (!u || u.people.length !== 1) throw new Error(`expected one person, got ${u?.people.length ?? 'no result'}`);
  };
  return {
    name: 'pose-detect',
    description: 'PoseLandmarker VIDEO-mode detection, CPU delegate: lite vs full; 720p frame as is vs downscaled',
    unit: 'frame',
    info,
    async setup() {
      cam = await cameraVideo();
      const t0 = performance.now();
      lite = await PoseInput.create({ modelPath: LITE });
      info.createLiteMs = Math.round(performance.now() - t0);
      const t1 = performance.now();
      full = await PoseInput.create({ modelPath: FULL });
      info.createFullMs = Math.round(performance.now() - t1);
      liteHd = await PoseInput.create({ modelPath: LITE });
      liteDown = await PoseInput.create({ modelPath: LITE, detectSize: 320 });
      const g = hd.getContext('2d');
      if (!g) throw new Error('no 2d context');
      g.fillStyle = '#202020';
      g.fillRect(0, 0, 1280, 720);
      g.drawImage(cam.video, (1280 - 720) / 2, 0, 720, 720);
      const t2 = performance.now();
      lite.detect(cam.video, performance.now());
      info.firstDetectLiteMs = Math.round(performance.now() - t2);
    },
    teardown() {
      for (const p of [lite, full, liteHd, liteDown]) p?.dispose();
      cam?.stop();
    },
    ours: { name: 'lite, 448² camera frame', units: 1, run: detectOn(() => lite, () => cam.video) },
    baseline: { name: 'full, 448² camera frame', units: 1, run: detectOn(() => full, () => cam.video) },
    others: [
      { name: 'lite, 1280×720 frame as is', units: 1, run: detectOn(() => liteHd, () => hd) },
      { name: 'lite, 1280×720 drawn down to 320 px first', units: 1, run: detectOn(() => liteDown, () => hd) },
    ],
  };
}

async function loopBench(): Promise<Benchmark> {
  let cam: Awaited<ReturnType<typeof cameraVideo>>;
  let lite: PoseInput;
  let full: PoseInput;
  const latency: Record<string, number[]> = { lite: [], full: [] };
  const info: Record<string, unknown> = { delegate: 'CPU', camera: 'fake device, 448×448 @ 15 fps', frameLoop: 'requestVideoFrameCallback' };
  return {
    name: 'pose-loop',
    description: 'Live loop camera → features (rVFC, one detection in flight): ms between feature updates; capture→features latency in info',
    unit: 'update',
    info,
    async setup() {
      cam = await cameraVideo();
      lite = await PoseInput.create({ modelPath: LITE });
      full = await PoseInput.create({ modelPath: FULL });
      lite.onUpdate((u) => u.latencyMs !== undefined && latency.lite?.push(u.latencyMs));
      full.onUpdate((u) => u.latencyMs !== undefined && latency.full?.push(u.latencyMs));
      // Which clock the latency starts from: captureTime when Chromium gives it for the camera, else presentation.
      info.captureTimeAvailable = await new Promise<boolean>((resolve) => {
        cam.video.requestVideoFrameCallback((_n, m) => resolve(m.captureTime !== undefined));
      });
    },
    teardown() {
      info.latencyLiteMs = quantiles(latency.lite ?? []);
      info.latencyFullMs = quantiles(latency.full ?? []);
      lite?.dispose();
      full?.dispose();
      cam?.stop();
    },
    // Only one loop runs at a time: each run starts its landmarker on the video, waits two updates, stops it.
    ours: {
      name: 'lite loop (2 updates)',
      units: 2,
      async run() {
        lite.start(cam.video);
        await nextUpdate(lite);
        await nextUpdate(lite);
        lite.stop();
      },
    },
    baseline: {
      name: 'full loop (2 updates)',
      units: 2,
      async run() {
        full.start(cam.video);
        await nextUpdate(full);
        await nextUpdate(full);
        full.stop();
      },
    },
  };
}

export default async function benchmarks(): Promise<Benchmark[]> {
  return [await detectBench(), await loopBench()];
}
