import { describe, expect, it } from 'vitest';
import { Camera, type CameraStatus } from '../../src/input/camera.ts';
import { PoseInput, type PoseUpdate } from '../../src/input/pose.ts';

/**
 * Camera loss and recovery with Chromium's real fake camera underneath. A headless browser cannot unplug a
 * device, so a thin wrapper around navigator.mediaDevices can refuse to open (unplugged, or permission refused) and
 * fire `devicechange`; everything else (streams, tracks, the video element) is the real thing.
 */
class Unpluggable extends EventTarget {
  plugged = true;
  refuse: string | undefined;
  opens = 0;
  private listeners = 0;

  async getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
    this.opens++;
    if (this.refuse) throw new DOMException('refused by the test', this.refuse);
    if (!this.plugged) throw new DOMException('Requested device not found', 'NotFoundError');
    return navigator.mediaDevices.getUserMedia(constraints);
  }

  async enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return this.plugged ? navigator.mediaDevices.enumerateDevices() : [];
  }

  override addEventListener(type: string, cb: EventListenerOrEventListenerObject | null, o?: AddEventListenerOptions | boolean): void {
    this.listeners++;
    super.addEventListener(type, cb, o);
  }

  override removeEventListener(type: string, cb: EventListenerOrEventListenerObject | null, o?: EventListenerOptions | boolean): void {
    this.listeners--;
    super.removeEventListener(type, cb, o);
  }

  listenerCount(): number {
    return this.listeners;
  }

  asMediaDevices(): MediaDevices {
    return this as unknown as MediaDevices;
  }
}

const FAST_RETRY = { firstDelayMs: 40, maxDelayMs: 160, attempts: 3 };

function until(camera: Camera, state: CameraStatus['state'], timeoutMs = 10_000): Promise<CameraStatus> {
  if (camera.status().state === state) return Promise.resolve(camera.status());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`camera never reached "${state}" (now ${JSON.stringify(camera.status())})`)), timeoutMs);
    const off = camera.onStatus((s) => {
      if (s.state !== state) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

/** Simulates pulling the cable: the device disappears and its live track ends (Chromium fires `ended`). */
function unplug(devices: Unpluggable, camera: Camera): void {
  devices.plugged = false;
  const stream = camera.video.srcObject;
  const track = stream instanceof MediaStream ? stream.getVideoTracks()[0] : undefined;
  track?.stop();
  track?.dispatchEvent(new Event('ended'));
}

describe('Camera', () => {
  it('opens the camera at the asked size and plays it', async () => {
    const devices = new Unpluggable();
    const camera = new Camera({ mediaDevices: devices.asMediaDevices(), width: 448, height: 448 });
    const s = await camera.start();
    expect(s.state).toBe('live');
    if (s.state === 'live') expect([s.width, s.height]).toEqual([448, 448]);
    while (camera.video.videoWidth === 0) await new Promise((r) => setTimeout(r, 20));
    expect(camera.video.videoWidth).toBe(448);
    camera.dispose();
  });

  it('retries an unplugged camera with growing delays, goes idle with a message, and the page keeps drawing', async () => {
    const devices = new Unpluggable();
    const camera = new Camera({ mediaDevices: devices.asMediaDevices(), width: 448, height: 448, retry: FAST_RETRY });
    await camera.start();
    const seen: CameraStatus[] = [];
    camera.onStatus((s) => seen.push(s));
    let frames = 0;
    let drawing = true;
    const tick = (): void => {
      frames++;
      if (drawing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    unplug(devices, camera);
    const idle = await until(camera, 'idle');
    drawing = false;
    const retries = seen.filter((s) => s.state === 'retrying');
    expect(retries.map((s) => (s.state === 'retrying' ? s.inMs : 0))).toEqual([40, 80, 160]);
    expect(idle.state === 'idle' && idle.message).toMatch(/No camera/);
    expect(idle.state === 'idle' && idle.reason).toMatch(/NotFoundError/);
    expect(frames).toBeGreaterThan(3);
    expect(camera.video.srcObject).toBeNull();
    camera.dispose();
  });

  it('comes back live when the camera is plugged in again (devicechange)', async () => {
    const devices = new Unpluggable();
    const camera = new Camera({ mediaDevices: devices.asMediaDevices(), width: 448, height: 448, retry: FAST_RETRY });
    await camera.start();
    unplug(devices, camera);
    await until(camera, 'idle');
    devices.plugged = true;
    devices.dispatchEvent(new Event('devicechange'));
    await until(camera, 'live');
    const stream = camera.video.srcObject;
    expect(stream instanceof MediaStream && stream.getVideoTracks()[0]?.readyState).toBe('live');
    // A devicechange that leaves our camera alone (another device) does not reopen it.
    const opens = devices.opens;
    devices.dispatchEvent(new Event('devicechange'));
    await new Promise((r) => setTimeout(r, 100));
    expect(devices.opens).toBe(opens);
    camera.dispose();
  });

  it('picks the show’s device by label, and retries when it is not connected', async () => {
    const devices = new Unpluggable();
    const cams = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    const label = cams[0]?.label ?? '';
    expect(label).not.toBe('');
    const camera = new Camera({ mediaDevices: devices.asMediaDevices(), device: label.slice(0, 8) });
    const s = await camera.start();
    expect(s.state === 'live' && s.deviceId).toBe(cams[0]?.deviceId);
    camera.dispose();
    const missing = new Camera({ mediaDevices: devices.asMediaDevices(), device: 'Show Camera 4K', retry: FAST_RETRY });
    const r = await missing.start();
    expect(r.state).toBe('retrying');
    expect(r.state === 'retrying' && r.reason).toMatch(/no camera "Show Camera 4K"/);
    missing.dispose();
  });

  it('a refused permission goes idle at once instead of retrying', async () => {
    const devices = new Unpluggable();
    devices.refuse = 'NotAllowedError';
    const camera = new Camera({ mediaDevices: devices.asMediaDevices(), retry: FAST_RETRY });
    const s = await camera.start();
    expect(s.state).toBe('idle');
    expect(devices.opens).toBe(1);
    camera.dispose();
  });

  it('dispose stops the tracks, removes every listener and cancels a pending retry', async () => {
    const devices = new Unpluggable();
    const camera = new Camera({ mediaDevices: devices.asMediaDevices(), width: 448, height: 448, retry: { firstDelayMs: 100, attempts: 5 } });
    await camera.start();
    const stream = camera.video.srcObject as MediaStream;
    const track = stream.getVideoTracks()[0];
    expect(devices.listenerCount()).toBe(1);
    camera.dispose();
    expect(track?.readyState).toBe('ended');
    expect(camera.video.srcObject).toBeNull();
    expect(devices.listenerCount()).toBe(0);
    expect(camera.status().state).toBe('stopped');

    // With a retry pending: nothing opens after dispose.
    const again = new Camera({ mediaDevices: devices.asMediaDevices(), retry: { firstDelayMs: 100, attempts: 5 } });
    devices.plugged = false;
    expect((await again.start()).state).toBe('retrying');
    const opens = devices.opens;
    again.dispose();
    devices.dispatchEvent(new Event('devicechange'));
    await new Promise((r) => setTimeout(r, 300));
    expect(devices.opens).toBe(opens);
    expect(devices.listenerCount()).toBe(0);
  });
});

describe('Camera with the pose loop', () => {
  it('an unplugged camera takes the piece to attract mode after the leave delay; replugged, it engages again', async () => {
    const devices = new Unpluggable();
    const camera = new Camera({ mediaDevices: devices.asMediaDevices(), width: 448, height: 448, retry: FAST_RETRY });
    const pose = await PoseInput.create({ delegate: 'CPU', staleMs: 200, features: { enterSeconds: 0.2, leaveSeconds: 1 } });
    const when = (accept: (u: PoseUpdate) => boolean): Promise<number> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; last ${JSON.stringify(pose.last()?.mode)}`)), 30_000);
        const off = pose.onUpdate((u) => {
          if (!accept(u)) return;
          clearTimeout(timer);
          off();
          resolve(performance.now());
        });
      });
    try {
      await camera.start();
      pose.start(camera.video);
      await when((u) => u.mode === 'engage');
      const unpluggedAt = performance.now();
      unplug(devices, camera);
      const attractAt = await when((u) => u.mode === 'attract');
      // No frames at all: the watchdog's "nobody" reports run the leave delay (1 s) after frames stop (+200 ms).
      expect((attractAt - unpluggedAt) / 1000).toBeGreaterThanOrEqual(1);
      expect((attractAt - unpluggedAt) / 1000).toBeLessThan(4);
      await until(camera, 'idle');
      devices.plugged = true;
      devices.dispatchEvent(new Event('devicechange'));
      await until(camera, 'live');
      // The same <video> element, a new stream: the frame loop carries on without a restart.
      await when((u) => u.mode === 'engage' && u.people.length === 1);
    } finally {
      pose.dispose();
      camera.dispose();
    }
  });
});
