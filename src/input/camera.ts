/**
 * The kiosk's camera: getUserMedia with the show's device and resolution, kept alive through unplug and replug.
 * A lost camera (track `ended`, a `devicechange` that took it away, a busy device) is retried with exponential
 * backoff; after the last attempt the camera goes idle with a message the app shows, and wakes again on the next
 * `devicechange`. Nothing blocks: the page keeps drawing (attract mode) whatever the camera does.
 * Why these three moves: after an unplug the old deviceId may come back under a new one (so devices are enumerated
 * again), a replugged camera is found again by its deviceId or label, and NotReadableError means another process
 * holds the device for a moment, which passes.
 */
export type CameraStatus =
  | { readonly state: 'starting' }
  | { readonly state: 'live'; readonly deviceId: string; readonly label: string; readonly width: number; readonly height: number }
  | { readonly state: 'retrying'; readonly attempt: number; readonly inMs: number; readonly reason: string }
  | { readonly state: 'idle'; readonly reason: string; readonly message: string }
  | { readonly state: 'stopped' };
import { errorMessage } from '../core/error-message.ts';

export type CameraListener = (status: CameraStatus) => void;

export interface CameraOptions {
  /** A deviceId from enumerateDevices, or a substring of the device's label; any camera if absent. */
  readonly device?: string;
  readonly width?: number;
  readonly height?: number;
  readonly frameRate?: number;
  /** Backoff: first delay, growth ×2 per attempt up to maxDelayMs, then idle after `attempts` failures. */
  readonly retry?: { readonly firstDelayMs?: number; readonly maxDelayMs?: number; readonly attempts?: number };
  /** Injected for tests and for pages that wrap it; navigator.mediaDevices by default. */
  readonly mediaDevices?: MediaDevices;
  readonly document?: Document;
}

const RETRY_DEFAULTS = { firstDelayMs: 500, maxDelayMs: 8000, attempts: 6 };

/** Errors not worth retrying: the visitor-facing page cannot grant a refused permission by itself. */
const FATAL = new Set(['NotAllowedError', 'SecurityError', 'TypeError']);

export class Camera {
  /** The element the landmarker reads; muted, inline, never attached to the DOM by this class. */
  readonly video: HTMLVideoElement;
  private readonly devices: MediaDevices;
  private readonly retry: typeof RETRY_DEFAULTS;
  private readonly listeners = new Set<CameraListener>();
  private current: CameraStatus = { state: 'starting' };
  private stream: MediaStream | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  /** Bumped on every (re)open and on dispose: a getUserMedia that resolves late for an old generation is dropped. */
  private generation = 0;
  private disposed = false;
  private readonly onDeviceChange = (): void => void this.deviceChanged();
  private readonly onTrackEnded = (): void => this.lost('the camera stopped (unplugged?)');

  constructor(private readonly options: CameraOptions = {}) {
    const doc = options.document ?? document;
    this.devices = options.mediaDevices ?? navigator.mediaDevices;
    this.retry = { ...RETRY_DEFAULTS, ...options.retry };
    this.video = doc.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.autoplay = true;
    this.devices.addEventListener('devicechange', this.onDeviceChange);
  }

  /** Opens the camera; resolves when it is live or has gone to retrying/idle (never rejects). */
  start(): Promise<CameraStatus> {
    this.attempt = 0;
    return this.open();
  }

  status(): CameraStatus {
    return this.current;
  }

  onStatus(listener: CameraListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the tracks and removes every listener and timer. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.generation++;
    this.clearTimer();
    this.devices.removeEventListener('devicechange', this.onDeviceChange);
    this.release();
    this.set({ state: 'stopped' });
    this.listeners.clear();
  }

  private async open(): Promise<CameraStatus> {
    if (this.disposed) return this.current;
    const gen = ++this.generation;
    this.clearTimer();
    this.release();
    try {
      const deviceId = await this.resolveDevice();
      const stream = await this.devices.getUserMedia({
        audio: false,
        video: {
          ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
          width: { ideal: this.options.width ?? 1280 },
          height: { ideal: this.options.height ?? 720 },
          frameRate: { ideal: this.options.frameRate ?? 30 },
        },
      });
      if (gen !== this.generation) {
        for (const t of stream.getTracks()) t.stop();
        return this.current;
      }
      const track = stream.getVideoTracks()[0];
      if (!track || track.readyState !== 'live') {
        for (const t of stream.getTracks()) t.stop();
        throw new DOMException('the camera gave no live video track', 'NotReadableError');
      }
      this.stream = stream;
      track.addEventListener('ended', this.onTrackEnded);
      this.video.srcObject = stream;
      // play() can reject when the page is hidden; the track is live anyway and autoplay resumes it.
      await this.video.play().catch(() => undefined);
      const s = track.getSettings();
      this.attempt = 0;
      this.set({ state: 'live', deviceId: s.deviceId ?? '', label: track.label, width: s.width ?? 0, height: s.height ?? 0 });
    } catch (e) {
      if (gen !== this.generation) return this.current;
      const name = e instanceof DOMException || e instanceof Error ? e.name : 'Error';
      const reason = `${name}: ${errorMessage(e)}`;
      if (FATAL.has(name)) this.idle(reason, 'The camera is not allowed on this page. Check the browser policy (VideoCaptureAllowedUrls).');
      else this.scheduleRetry(reason);
    }
    return this.current;
  }

  /** The configured device as a deviceId: used as is if it is one, else the first camera whose label contains it. */
  private async resolveDevice(): Promise<string | undefined> {
    const want = this.options.device;
    if (!want) return undefined;
    const cams = (await this.devices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    const hit = cams.find((d) => d.deviceId === want) ?? cams.find((d) => d.label.includes(want));
    if (!hit) throw new DOMException(`no camera "${want}" among ${cams.length} connected`, 'NotFoundError');
    return hit.deviceId;
  }

  private lost(reason: string): void {
    if (this.disposed) return;
    this.release();
    this.attempt = 0;
    this.scheduleRetry(reason);
  }

  private async deviceChanged(): Promise<void> {
    if (this.disposed) return;
    const track = this.stream?.getVideoTracks()[0];
    if (this.current.state === 'live' && track?.readyState === 'live') return;
    // Not live (retrying, idle, or the track died without telling): a camera may just have come back: try now.
    this.attempt = 0;
    await this.open();
  }

  private scheduleRetry(reason: string): void {
    this.attempt++;
    if (this.attempt > this.retry.attempts) {
      this.idle(reason, 'No camera: the piece runs on its own. It will resume when a camera is connected.');
      return;
    }
    const inMs = Math.min(this.retry.maxDelayMs, this.retry.firstDelayMs * 2 ** (this.attempt - 1));
    this.set({ state: 'retrying', attempt: this.attempt, inMs, reason });
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.open();
    }, inMs);
  }

  private idle(reason: string, message: string): void {
    this.clearTimer();
    this.release();
    this.set({ state: 'idle', reason, message });
  }

  private release(): void {
    if (this.stream) {
      for (const t of this.stream.getTracks()) {
        t.removeEventListener('ended', this.onTrackEnded);
        t.stop();
      }
    }
    this.stream = undefined;
    this.video.srcObject = null;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private set(status: CameraStatus): void {
    this.current = status;
    for (const l of this.listeners) l(status);
  }
}
