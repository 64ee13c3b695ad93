import { PoseLandmarker, type NormalizedLandmark } from '@mediapipe/tasks-vision';
// The wasm runtime comes from node_modules through Vite, never a CDN. The package's "exports" map publishes these
// files at the top level (`./vision_wasm_internal.js` → `./wasm/vision_wasm_internal.js`); the `wasm/` path itself
// is not exported, so it would not resolve.
import wasmLoaderPath from '@mediapipe/tasks-vision/vision_wasm_internal.js?url';
import wasmBinaryPath from '@mediapipe/tasks-vision/vision_wasm_internal.wasm?url';
import { clockFromMilliseconds, type Clock } from '../core/clock.ts';
import type { SitterBus } from '../core/params/catalogue.ts';
import type { PoseLandmarks } from '../core/pose/landmarks.ts';
import type { PresenceMode } from '../core/pose/presence.ts';
import { reportPoseStatus } from '../core/pose/status.ts';
import { PoseFeatureTracker, type PoseFeatureOptions, type PoseFeatures } from '../core/pose/tracker.ts';
import { errorMessage } from '../core/error-message.ts';

/**
 * The camera → landmarks → features step: MediaPipe's PoseLandmarker (tasks-vision 1.1.0) in VIDEO mode on frames
 * from a <video>, features from src/core/pose, status on the bus.
 *
 * Privacy: frames stay in the page (wasm memory); nothing here sends anything. tasks-vision itself posts usage
 * telemetry (timings, no pixels) to https://odml.pa.googleapis.com/v1/log every 60 s and on close(), with no off
 * switch: the kiosk must block it with a CSP `connect-src 'self' ws://localhost:*` (see the pose browser tests).
 */
export interface PoseInputOptions {
  /** The .task bundle, served by the kiosk (built by tools/pose-model/assemble.mjs). */
  readonly modelPath?: string;
  /** CPU by default: it leaves the GPU to the generator, and the lite model measured 131 ms per 448² frame on this 2-core, GPU-less machine (bench/README.md). */
  readonly delegate?: 'CPU' | 'GPU';
  /** Most people detected per frame. */
  readonly numPoses?: number;
  readonly minPoseDetectionConfidence?: number;
  readonly minPosePresenceConfidence?: number;
  readonly minTrackingConfidence?: number;
  /**
   * Longest side, in pixels, of the frame handed to the landmarker; a larger camera frame is first drawn onto a
   * canvas this size. 0 passes frames as they are. The detector works at 224² and the landmark model at 256², so
   * a 1080p frame carries ~30× more pixels than the models use.
   */
  readonly detectSize?: number;
  /** Feature maths options (presence delays, held time, filters, mirror). */
  readonly features?: PoseFeatureOptions;
  /** Where `status/presence` and `status/people` go. */
  readonly bus?: SitterBus;
  /** Time for features, in seconds; performance.now by default. */
  readonly clock?: Clock;
  /**
   * With no new camera frame for this long (unplugged, covered by a dead stream), the loop reports "nobody" every
   * `staleMs` so presence decays to attract mode instead of freezing in engage mode.
   */
  readonly staleMs?: number;
}

export interface PoseUpdate {
  readonly features: Readonly<PoseFeatures>;
  readonly mode: PresenceMode;
  /** Every person's 33 landmarks, in the camera's (unmirrored) image coordinates. */
  readonly people: readonly PoseLandmarks[];
  /** The timestamp (ms) handed to MediaPipe: strictly increasing. */
  readonly timestampMs: number;
  /** Wall time the landmarker call took. */
  readonly detectMs: number;
  /** From the frame's capture (requestVideoFrameCallback captureTime, else its presentation time) to features. */
  readonly latencyMs: number | undefined;
}

export type PoseListener = (update: PoseUpdate) => void;

export const DEFAULT_POSE_MODEL = '/models/pose/pose_landmarker_lite.task';

export class PoseInput {
  private readonly tracker: PoseFeatureTracker;
  private readonly listeners = new Set<PoseListener>();
  private readonly clock: Clock;
  private lastTimestamp = -Infinity;
  private busy = false;
  private disposed = false;
  private video: HTMLVideoElement | undefined;
  private frameRequest: number | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private lastFrameAt = 0;
  /** Width / height of the last frame: landmarks are normalised per axis, the features need true proportions. */
  private aspect = 1;
  private scratch: OffscreenCanvas | undefined;
  private lastUpdate: PoseUpdate | undefined;

  private constructor(
    private readonly landmarker: PoseLandmarker,
    private readonly options: PoseInputOptions,
  ) {
    this.tracker = new PoseFeatureTracker(options.features);
    this.clock = options.clock ?? clockFromMilliseconds(() => performance.now());
  }

  /** Loads the wasm runtime and the model (both local): 0.5–0.8 s on a quiet 2-core machine, 4–8 s under load. */
  static async create(options: PoseInputOptions = {}): Promise<PoseInput> {
    const modelPath = options.modelPath ?? DEFAULT_POSE_MODEL;
    let landmarker: PoseLandmarker;
    try {
      landmarker = await PoseLandmarker.createFromOptions(
        { wasmLoaderPath, wasmBinaryPath },
        {
          baseOptions: { modelAssetPath: modelPath, delegate: options.delegate ?? 'CPU' },
          runningMode: 'VIDEO',
          numPoses: options.numPoses ?? 2,
          minPoseDetectionConfidence: options.minPoseDetectionConfidence ?? 0.5,
          minPosePresenceConfidence: options.minPosePresenceConfidence ?? 0.5,
          minTrackingConfidence: options.minTrackingConfidence ?? 0.5,
          outputSegmentationMasks: false,
        },
      );
    } catch (e) {
      const why = errorMessage(e);
      throw new Error(`PoseInput: cannot start the pose landmarker with ${modelPath} (${why}); the model is built at install by node tools/pose-model/assemble.mjs`, { cause: e });
    }
    return new PoseInput(landmarker, options);
  }

  /**
   * Detects on every new frame of `video` (requestVideoFrameCallback), skipping frames while one is in flight. The
   * element may change source (Camera reopens a replugged device on the same element): the loop carries on.
   * detectForVideo is synchronous in tasks-vision 1.1.0 (CPU and GPU), so at most one detection runs; rVFC fires
   * only for the latest presented frame, so frames that arrive during a detection are dropped, never queued.
   */
  start(video: HTMLVideoElement): void {
    if (this.disposed) throw new Error('PoseInput.start: disposed');
    this.stop();
    this.video = video;
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata): void => {
      if (this.video !== video) return;
      this.frameRequest = video.requestVideoFrameCallback(onFrame);
      this.lastFrameAt = performance.now();
      if (this.busy || video.readyState < 2) return;
      // captureTime: the camera's capture instant (performance.now() timebase), given for camera streams;
      // presentationTime (when the frame reached the compositor) is the next best thing.
      this.detect(video, meta.mediaTime * 1000, meta.captureTime ?? meta.presentationTime);
    };
    this.frameRequest = video.requestVideoFrameCallback(onFrame);
    const staleMs = this.options.staleMs ?? 500;
    this.lastFrameAt = performance.now();
    this.watchdog = setInterval(() => {
      if (performance.now() - this.lastFrameAt > staleMs) this.publish([], this.lastTimestamp, 0, undefined);
    }, staleMs);
  }

  stop(): void {
    if (this.video && this.frameRequest !== undefined) this.video.cancelVideoFrameCallback(this.frameRequest);
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
    this.video = undefined;
    this.frameRequest = undefined;
  }

  /**
   * One detection on one frame. `timestampMs` may come from any monotonic-ish source: it is bumped to stay strictly
   * increasing, as VIDEO mode requires ("Packet timestamp mismatch" otherwise). Returns undefined when a detection
   * is already running or the input is disposed.
   */
  detect(frame: TexImageSource, timestampMs: number, capturedAt?: number): PoseUpdate | undefined {
    if (this.busy || this.disposed) return undefined;
    this.busy = true;
    try {
      const ts = timestampMs > this.lastTimestamp ? timestampMs : this.lastTimestamp + 1;
      this.lastTimestamp = ts;
      const [w, h] = frameSize(frame);
      if (w > 0 && h > 0) this.aspect = w / h;
      const source = this.downscaled(frame);
      const t0 = performance.now();
      const result = this.landmarker.detectForVideo(source, ts);
      const detectMs = performance.now() - t0;
      return this.publish(result.landmarks.map(copyLandmarks), ts, detectMs, capturedAt);
    } finally {
      this.busy = false;
    }
  }

  onUpdate(listener: PoseListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  /** The last update, if any. */
  last(): PoseUpdate | undefined {
    return this.lastUpdate;
  }

  mode(): PresenceMode {
    return this.tracker.mode();
  }

  /**
   * Stops the loop, drops listeners and frees the wasm graph. Note: tasks-vision's close() flushes its telemetry
   * (a POST to Google); the page's CSP must block it.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stop();
    this.listeners.clear();
    this.scratch = undefined;
    this.landmarker.close();
  }

  /** Features from one set of people (possibly none), status on the bus, listeners told. */
  private publish(people: readonly PoseLandmarks[], timestampMs: number, detectMs: number, capturedAt: number | undefined): PoseUpdate {
    const features = this.tracker.update(people, this.clock.now(), this.options.features?.aspect ?? this.aspect);
    if (this.options.bus) reportPoseStatus(this.options.bus, features);
    const update: PoseUpdate = {
      features,
      mode: this.tracker.mode(),
      people,
      timestampMs,
      detectMs,
      latencyMs: capturedAt === undefined ? undefined : performance.now() - capturedAt,
    };
    this.lastUpdate = update;
    for (const l of this.listeners) l(update);
    return update;
  }

  private downscaled(frame: TexImageSource): TexImageSource {
    const size = this.options.detectSize ?? 0;
    if (!(size > 0) || frame instanceof ImageData) return frame;
    const [w, h] = frameSize(frame);
    if (Math.max(w, h) <= size) return frame;
    const k = size / Math.max(w, h);
    const cw = Math.max(1, Math.round(w * k));
    const ch = Math.max(1, Math.round(h * k));
    if (!this.scratch || this.scratch.width !== cw || this.scratch.height !== ch) this.scratch = new OffscreenCanvas(cw, ch);
    const g = this.scratch.getContext('2d');
    if (!g) return frame;
    g.drawImage(frame, 0, 0, cw, ch);
    return this.scratch;
  }
}

/** Pixel size of any frame source. */
function frameSize(frame: TexImageSource): [number, number] {
  if ('videoWidth' in frame) return [frame.videoWidth, frame.videoHeight];
  if ('displayWidth' in frame) return [frame.displayWidth, frame.displayHeight];
  return [frame.width, frame.height];
}

/** Plain objects, detached from MediaPipe's result (whose lifetime is the call). */
function copyLandmarks(pose: readonly NormalizedLandmark[]): PoseLandmarks {
  return pose.map((p) => ({ x: p.x, y: p.y, z: p.z, visibility: p.visibility }));
}
