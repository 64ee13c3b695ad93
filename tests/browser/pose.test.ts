import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import { LM } from '../../src/core/pose/landmarks.ts';
import { POSE_FEATURES } from '../../src/core/pose/feature-names.ts';
import { Camera } from '../../src/input/camera.ts';
import { PoseInput, type PoseUpdate } from '../../src/input/pose.ts';
import { PoseOverlay } from '../../src/input/pose-overlay.ts';

/**
 * The pose path for real: the fake camera plays the astronaut video, the lite landmarker (our assembled .task, CPU
 * delegate) finds the person, features and bus status follow, a covered lens returns the piece to attract mode,
 * and no request leaves the machine.
 *
 * The covered lens is fed as blank canvas frames to the same landmarker rather than a second Chromium with
 * blankVideoPath(): on a shared 2-core machine one browser is cheaper, the real model still decides that nobody is
 * there, and the camera's own loss/recovery is tested apart (camera.ts) where it can be driven exactly.
 */

// ---- Network guard: record every request the page makes; block anything not loopback. --------------------------
interface Outgoing {
  readonly url: string;
  readonly method: string;
  readonly bodyBytes: number;
  readonly blocked: boolean;
}
const outgoing: Outgoing[] = [];
const isLoopback = (url: string): boolean => {
  const u = new URL(url, location.href);
  return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.protocol === 'blob:' || u.protocol === 'data:';
};
const sizeOf = (body: unknown): number => {
  if (body == null) return 0;
  if (typeof body === 'string') return body.length;
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  return String(body).length;
};
const realFetch = window.fetch.bind(window);
const realOpen = XMLHttpRequest.prototype.open;
const realSend = XMLHttpRequest.prototype.send;
const realBeacon = navigator.sendBeacon.bind(navigator);
const RealWebSocket = window.WebSocket;
const xhrTarget = new WeakMap<XMLHttpRequest, { url: string; method: string }>();

function installGuard(): void {
  window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const blocked = !isLoopback(url);
    outgoing.push({ url, method, bodyBytes: sizeOf(init?.body), blocked });
    return blocked ? Promise.reject(new TypeError(`test guard: blocked ${url}`)) : realFetch(input, init);
  };
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    xhrTarget.set(this, { url: String(url), method });
    return (realOpen as (...a: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const t = xhrTarget.get(this) ?? { url: '?', method: '?' };
    const blocked = !isLoopback(t.url);
    outgoing.push({ ...t, bodyBytes: sizeOf(body), blocked });
    if (blocked) {
      this.abort();
      return;
    }
    realSend.call(this, body);
  };
  navigator.sendBeacon = (url: string | URL, data?: BodyInit | null): boolean => {
    const blocked = !isLoopback(String(url));
    outgoing.push({ url: String(url), method: 'BEACON', bodyBytes: sizeOf(data), blocked });
    return blocked ? false : realBeacon(url, data);
  };
  window.WebSocket = class extends RealWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      outgoing.push({ url: String(url), method: 'WEBSOCKET', bodyBytes: 0, blocked: !isLoopback(String(url).replace(/^ws/, 'http')) });
      super(isLoopback(String(url).replace(/^ws/, 'http')) ? url : 'ws://127.0.0.1:9/blocked', protocols);
    }
  };
}

function removeGuard(): void {
  window.fetch = realFetch;
  XMLHttpRequest.prototype.open = realOpen;
  XMLHttpRequest.prototype.send = realSend;
  navigator.sendBeacon = realBeacon;
  window.WebSocket = RealWebSocket;
}

/** Smallest camera frame the page could send: 448×448 RGB, even JPEG-compressed at 10:1, is ~60 KB. */
const FRAME_BYTES_FLOOR = 448 * 448 * 3 / 10;

// ---- Shared landmarker and camera. ---------------------------------------------------------------------------------
const bus = new ParameterBus(PARAMS);
let pose: PoseInput;
let camera: Camera;
/** The person found by the first test, reused by the overlay test. */
let seenPeople: PoseUpdate['people'] = [];

function nextUpdate(p: PoseInput, accept: (u: PoseUpdate) => boolean, timeoutMs = 30_000): Promise<PoseUpdate> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching pose update in ${timeoutMs} ms (last: ${JSON.stringify(p.last()?.features)})`));
    }, timeoutMs);
    const off = p.onUpdate((u) => {
      if (!accept(u)) return;
      clearTimeout(timer);
      off();
      resolve(u);
    });
  });
}

beforeAll(async () => {
  installGuard();
  pose = await PoseInput.create({ delegate: 'CPU', bus, features: { enterSeconds: 0.3, leaveSeconds: 1.5 } });
  camera = new Camera({ width: 448, height: 448 });
  await camera.start();
});

afterAll(() => {
  camera?.dispose();
  pose?.dispose();
  removeGuard();
});

describe('pose from the fake camera (lite model, CPU delegate)', () => {
  it('finds the person: engage mode, one person, landmarks where a body has them', async () => {
    expect(camera.status().state).toBe('live');
    pose.start(camera.video);
    const u = await nextUpdate(pose, (x) => x.mode === 'engage');
    expect(u.people).toHaveLength(1);
    seenPeople = u.people;
    const p = u.people[0] ?? [];
    expect(p).toHaveLength(33);
    const y = (i: number): number => p[i]?.y ?? NaN;
    const x = (i: number): number => p[i]?.x ?? NaN;
    expect(y(LM.nose)).toBeLessThan(Math.min(y(LM.leftShoulder), y(LM.rightShoulder)));
    expect(Math.max(y(LM.leftEye), y(LM.rightEye))).toBeLessThan(y(LM.mouthLeft));
    expect(y(LM.leftShoulder)).toBeLessThan(y(LM.leftElbow));
    // Facing the camera: their left shoulder is on the image's right; shoulders span a good part of the frame.
    expect(x(LM.leftShoulder) - x(LM.rightShoulder)).toBeGreaterThan(0.2);
    expect(x(LM.nose)).toBeGreaterThan(x(LM.rightShoulder));
    expect(x(LM.nose)).toBeLessThan(x(LM.leftShoulder));
    expect(bus.bool('status/presence')).toBe(true);
    expect(bus.number('status/people')).toBe(1);
  });

  it('computes every feature from live detections, with a measured capture-to-features latency', async () => {
    const u = await nextUpdate(pose, (x) => x.mode === 'engage' && x.latencyMs !== undefined);
    for (const k of POSE_FEATURES) expect(Number.isFinite(u.features[k]), k).toBe(true);
    expect(u.features.presence).toBe(1);
    expect(u.features.people).toBe(1);
    expect(u.features.distance).toBeGreaterThan(0.5);
    expect(Math.abs(u.features.lean)).toBeLessThan(0.6);
    expect(u.features['left-hand-height']).toBeLessThan(0);
    expect(u.latencyMs).toBeGreaterThan(0);
    expect(u.latencyMs).toBeLessThan(5000);
    expect(u.detectMs).toBeGreaterThan(0);
  });

  it('VIDEO-mode timestamps stay strictly increasing even when the caller repeats one', () => {
    pose.stop();
    const canvas = new OffscreenCanvas(64, 64);
    const a = pose.detect(canvas, 10);
    const b = pose.detect(canvas, 10);
    const c = pose.detect(canvas, 5);
    expect(a && b && c).toBeTruthy();
    expect((b?.timestampMs ?? 0) > (a?.timestampMs ?? 0)).toBe(true);
    expect((c?.timestampMs ?? 0) > (b?.timestampMs ?? 0)).toBe(true);
  });

  it('draws the skeleton while hud/skeleton is on, and nothing when off', () => {
    const overlay = new PoseOverlay({ bus, privacyNotice: 'The camera steers the picture. Nothing is recorded.', width: 160, height: 160 });
    document.body.append(overlay.element);
    const people = seenPeople;
    expect(people).toHaveLength(1);
    const inked = (): number => {
      const g = overlay.canvas.getContext('2d');
      const d = g?.getImageData(0, 0, 160, 160).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) n++;
      return n;
    };
    overlay.draw(people);
    expect(inked()).toBe(0);
    bus.set('hud/skeleton', true, 'desk');
    overlay.draw([...people]);
    expect(overlay.isVisible()).toBe(true);
    expect(inked()).toBeGreaterThan(200);
    bus.set('hud/skeleton', false, 'desk');
    expect(inked()).toBe(0);
    expect(overlay.notice?.textContent).toContain('Nothing is recorded');
    const before = bus.listenerCount();
    overlay.dispose();
    expect(bus.listenerCount()).toBe(before - 1);
    expect(overlay.element.isConnected).toBe(false);
  });

  it('a covered lens returns to attract mode after the leave delay, not before', async () => {
    pose.stop();
    // Seen again first, through the real camera frames, so the leave delay starts from a known engage.
    pose.start(camera.video);
    await nextUpdate(pose, (x) => x.mode === 'engage' && x.people.length === 1);
    pose.stop();
    const blank = new OffscreenCanvas(448, 448);
    const g = blank.getContext('2d');
    if (!g) throw new Error('no 2d context');
    g.fillStyle = 'rgb(24,24,24)';
    g.fillRect(0, 0, 448, 448);
    const coveredAt = performance.now();
    let firstEmpty: number | undefined;
    let attractAt: number | undefined;
    while (performance.now() - coveredAt < 8000) {
      const u = pose.detect(blank, performance.now());
      if (u && u.people.length === 0 && firstEmpty === undefined) firstEmpty = performance.now();
      if (u?.mode === 'attract') {
        attractAt = performance.now();
        expect(u.features.presence).toBe(0);
        break;
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(firstEmpty, 'the landmarker sees nobody on a blank frame').toBeDefined();
    expect(attractAt, 'attract mode within 8 s').toBeDefined();
    const waited = ((attractAt ?? 0) - (firstEmpty ?? 0)) / 1000;
    expect(waited).toBeGreaterThanOrEqual(1.5 - 0.05);
    expect(waited).toBeLessThan(1.5 + 1);
    expect(bus.bool('status/presence')).toBe(false);
    expect(bus.number('status/people')).toBe(0);
  });

  it('the assembled full model passes the Tasks API too and finds the person', async () => {
    const full = await PoseInput.create({ delegate: 'CPU', modelPath: '/models/pose/pose_landmarker_full.task' });
    try {
      let people = 0;
      for (let i = 0; i < 3 && people === 0; i++) people = full.detect(camera.video, 1000 + i * 100)?.people.length ?? 0;
      expect(people).toBe(1);
    } finally {
      full.dispose();
    }
  });

  it('no request leaves the machine, and none carries frame-sized data', () => {
    // close() of a landmarker flushes tasks-vision's telemetry (POST to odml.pa.googleapis.com): it must be blocked.
    const entries = performance.getEntriesByType('resource').map((e) => e.name);
    expect(entries.filter((u) => !isLoopback(u))).toEqual([]);
    const escaped = outgoing.filter((o) => !isLoopback(o.url.replace(/^ws/, 'http')) && !o.blocked);
    expect(escaped).toEqual([]);
    for (const o of outgoing) expect(o.bodyBytes, `${o.method} ${o.url}`).toBeLessThan(FRAME_BYTES_FLOOR);
    // The model and wasm came from this server.
    expect(entries.some((u) => u.includes('/models/pose/pose_landmarker_lite.task'))).toBe(true);
    expect(entries.some((u) => u.includes('vision_wasm_internal.wasm'))).toBe(true);
    console.info(`pose network: ${outgoing.length} guarded requests, ${outgoing.filter((o) => o.blocked).length} blocked: ${outgoing.filter((o) => o.blocked).map((o) => `${o.method} ${o.url} (${o.bodyBytes} B)`).join(', ') || 'none'}`);
  });
});
