import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import { blankVideoPath, personVideoPath } from '../support/fake-camera.ts';

/**
 * The pose page as the kiosk runs it (Camera → PoseInput loop), in a Chromium whose fake camera plays either the
 * person video or a covered lens (blankVideoPath), with every request intercepted at the network layer
 * (context.route): loopback passes, anything else is aborted and recorded. This sees what in-page wrappers cannot
 * (any request type, from any frame or worker), so it is the privacy proof: no request leaves, none carries a frame.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE = '/__pose-network.html';
/** A 448×448 RGB frame is 602 KB raw; even a 10:1 JPEG is ~60 KB. Telemetry protobufs are a few hundred bytes. */
const FRAME_BYTES_FLOOR = (448 * 448 * 3) / 10;

/** Serves the test page: Camera + PoseInput from src/input, state on window for the test to read. */
function posePage(): Plugin {
  const html = `<!doctype html><meta charset="utf-8"><title>pose network</title><script type="module">
import { Camera } from '/src/input/camera.ts';
import { PoseInput } from '/src/input/pose.ts';
const state = { updates: 0, modes: [], maxPeople: 0, camera: '', error: '', ready: false, stopped: false };
window.__pose = state;
try {
  const camera = new Camera({ width: 448, height: 448 });
  state.camera = (await camera.start()).state;
  const pose = await PoseInput.create({ delegate: 'CPU', features: { enterSeconds: 0.3, leaveSeconds: 1 } });
  pose.onUpdate((u) => {
    state.updates++;
    state.maxPeople = Math.max(state.maxPeople, u.people.length);
    if (!state.modes.includes(u.mode)) state.modes.push(u.mode);
  });
  pose.start(camera.video);
  window.__stop = () => { pose.dispose(); camera.dispose(); state.stopped = true; };
  state.ready = true;
} catch (e) { state.error = String(e && e.stack || e); }
</script>`;
  return {
    name: 'pose-network-page',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url !== PAGE) return next();
        res.setHeader('Content-Type', 'text/html');
        res.end(html);
      });
    },
  };
}

interface Seen {
  readonly url: string;
  readonly method: string;
  readonly bodyBytes: number;
  readonly aborted: boolean;
}

interface PageState {
  updates: number;
  modes: string[];
  maxPeople: number;
  camera: string;
  error: string;
  ready: boolean;
  stopped: boolean;
}

declare global {
  interface Window {
    __pose?: PageState;
    __stop?: () => void;
  }
}

let server: ViteDevServer;
let origin = '';

beforeAll(async () => {
  server = await createServer({
    root,
    configFile: false,
    logLevel: 'error',
    plugins: [posePage()],
    server: { port: 0, host: '127.0.0.1' },
    // No dependency pre-bundling: tasks-vision is plain ESM, and a mid-test re-optimisation would reload the page.
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await server?.close();
});

/** Runs the page in a Chromium whose camera plays `video` until `updates` pose updates, then stops it. */
async function runPage(video: string, updates: number): Promise<{ state: PageState; seen: Seen[] }> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(video) });
  const seen: Seen[] = [];
  try {
    const context = await browser.newContext();
    await context.route('**', async (route) => {
      const req = route.request();
      const host = new URL(req.url()).hostname;
      const local = ['127.0.0.1', 'localhost', '[::1]'].includes(host) || req.url().startsWith('data:') || req.url().startsWith('blob:');
      seen.push({ url: req.url(), method: req.method(), bodyBytes: req.postDataBuffer()?.length ?? 0, aborted: !local });
      await (local ? route.continue() : route.abort('blockedbyclient'));
    });
    const page = await context.newPage();
    await page.goto(`${origin}${PAGE}`);
    await page.waitForFunction((n) => (window.__pose?.error ?? '') !== '' || (window.__pose?.updates ?? 0) >= n, updates, { timeout: 90_000 });
    await page.evaluate(() => window.__stop?.());
    // close() flushes tasks-vision's telemetry: give it time to try.
    await page.waitForTimeout(500);
    const state = await page.evaluate(() => window.__pose as PageState);
    await context.close();
    return { state, seen };
  } finally {
    await browser.close();
  }
}

function expectNothingLeft(seen: readonly Seen[]): void {
  const outside = seen.filter((s) => s.aborted);
  for (const s of outside) expect(s.bodyBytes, `${s.method} ${s.url}`).toBeLessThan(FRAME_BYTES_FLOOR);
  for (const s of seen) expect(s.bodyBytes, `${s.method} ${s.url}`).toBeLessThan(FRAME_BYTES_FLOOR);
  // Every request that was let through went to this machine.
  expect(seen.filter((s) => !s.aborted).every((s) => s.url.startsWith(origin) || s.url.startsWith('data:') || s.url.startsWith('blob:'))).toBe(true);
  expect(seen.some((s) => s.url.endsWith('/models/pose/pose_landmarker_lite.task'))).toBe(true);
}

describe('pose page at the network layer', () => {
  it('with a person in front of the camera: engages, and no request leaves the machine', async () => {
    const { state, seen } = await runPage(personVideoPath(), 30);
    expect(state.error).toBe('');
    expect(state.camera).toBe('live');
    expect(state.modes).toContain('engage');
    expect(state.maxPeople).toBe(1);
    expectNothingLeft(seen);
    console.info(`pose network (person): ${seen.length} requests; stopped at the door: ${seen.filter((s) => s.aborted).map((s) => `${s.method} ${s.url} ${s.bodyBytes} B`).join(', ') || 'none'}`);
  });

  it('with the lens covered: stays in attract mode, sees nobody, and no request leaves', async () => {
    const { state, seen } = await runPage(blankVideoPath(), 40);
    expect(state.error).toBe('');
    expect(state.camera).toBe('live');
    expect(state.modes).toEqual(['attract']);
    expect(state.maxPeople).toBe(0);
    expectNothingLeft(seen);
  });
});
