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
 * A real second camera video (rather than blank canvas frames) also proves Camera → PoseInput end to end.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE = '/__pose-network.html';
/** A 448×448 RGB frame is 602 KB raw; even a 10:1 JPEG is ~60 KB. Telemetry protobufs are a few hundred bytes. */
const FRAME_BYTES_FLOOR = (448 * 448 * 3) / 10;

/**
 * The CSP the kiosk page should carry (see the report): scripts and the wasm runtime from this origin only
 * ('wasm-unsafe-eval' lets WebAssembly compile), fetches to this origin and the local OSC bridge only.
 */
const KIOSK_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ws://localhost:*";

const SCRIPT = `
import { Camera } from '/src/input/camera.ts';
import { PoseInput } from '/src/input/pose.ts';
const state = { updates: 0, modes: [], maxPeople: 0, camera: '', error: '', ready: false, stopped: false, violations: [] };
window.__pose = state;
document.addEventListener('securitypolicyviolation', (e) => state.violations.push(e.violatedDirective + ' ' + e.blockedURI));
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
} catch (e) { state.error = String((e && e.stack) || e); }
`;

/** Serves the test page (with or without the kiosk CSP) and its script: Camera + PoseInput from src/input. */
function posePage(): Plugin {
  const html = (csp: boolean): string =>
    `<!doctype html><meta charset="utf-8">${csp ? `<meta http-equiv="Content-Security-Policy" content="${KIOSK_CSP}">` : ''}` +
    `<title>pose network</title><body><script type="module" src="/__pose-network.js"></script></body>`;
  return {
    name: 'pose-network-page',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url === PAGE || req.url === `${PAGE}?csp`) {
          res.setHeader('Content-Type', 'text/html');
          res.end(html(req.url.endsWith('?csp')));
        } else if (req.url === '/__pose-network.js') {
          res.setHeader('Content-Type', 'text/javascript');
          res.end(SCRIPT);
        } else next();
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
  violations: string[];
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
async function runPage(video: string, updates: number, csp: boolean): Promise<{ state: PageState; seen: Seen[] }> {
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
    await page.goto(`${origin}${PAGE}${csp ? '?csp' : ''}`);
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
    const { state, seen } = await runPage(personVideoPath(), 30, false);
    expect(state.error).toBe('');
    expect(state.camera).toBe('live');
    expect(state.modes).toContain('engage');
    expect(state.maxPeople).toBe(1);
    expectNothingLeft(seen);
    console.info(`pose network (person): ${seen.length} requests; stopped at the door: ${seen.filter((s) => s.aborted).map((s) => `${s.method} ${s.url} ${s.bodyBytes} B`).join(', ') || 'none'}`);
  });

  it('with the lens covered and the kiosk CSP: stays in attract mode, sees nobody; the CSP stops the telemetry', async () => {
    const { state, seen } = await runPage(blankVideoPath(), 40, true);
    expect(state.error).toBe('');
    // The pose path runs under the CSP (scripts and wasm from 'self'), and the CSP itself refuses the telemetry,
    // so not even a blocked request reaches the network.
    expect(state.violations.filter((v) => !v.includes('odml.pa.googleapis.com'))).toEqual([]);
    expect(state.violations.some((v) => v.startsWith('connect-src') && v.includes('odml.pa.googleapis.com'))).toBe(true);
    expect(seen.filter((s) => s.aborted)).toEqual([]);
    expect(state.camera).toBe('live');
    expect(state.modes).toEqual(['attract']);
    expect(state.maxPeople).toBe(0);
    expectNothingLeft(seen);
  });
});
