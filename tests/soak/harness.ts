import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import { TMP_DIR, personVideoPath } from '../support/fake-camera.ts';
import { startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { DeskTraffic } from './desk-traffic.ts';
import { slope } from './stats.ts';

export interface SoakSample {
  readonly seconds: number;
  readonly tensors: number;
  /** Bytes held by live tensors (tf.memory().numBytes), in MB. */
  readonly tensorMB: number;
  readonly heapMB: number;
  readonly textures: number;
  readonly fps: number;
  readonly frames: number;
  readonly phase: string;
}

export interface FaultResult {
  readonly fault: string;
  readonly recovered: boolean;
  readonly seconds: number;
  readonly detail: string;
}

export interface SoakReport {
  readonly minutes: number;
  readonly samples: readonly SoakSample[];
  readonly faults: readonly FaultResult[];
  /** Per minute, fitted over the samples after warm-up. */
  readonly slopes: { readonly tensorsPerMinute: number; readonly tensorMBPerMinute: number; readonly heapMBPerMinute: number; readonly texturesPerMinute: number };
  readonly ranges: { readonly tensors: readonly [number, number]; readonly tensorMB: readonly [number, number]; readonly textures: readonly [number, number]; readonly heapMB: readonly [number, number] };
  readonly deskPackets: number;
  readonly malformedPackets: number;
  readonly failures: readonly string[];
}

export interface SoakOptions {
  readonly minutes: number;
  readonly sampleSeconds?: number;
  readonly faults?: boolean;
  readonly log?: (line: string) => void;
  /** Soak another model than the demo's (an imported StyleGAN, say), found in `modelsDir` before models/. */
  readonly model?: string;
  readonly modelsDir?: string;
}

/** The demo show with the camera on, so the soak covers the pose path too. */
function soakShow(model: string | undefined): string {
  const demo = JSON.parse(readFileSync('show-configs/demo.json', 'utf8')) as Record<string, unknown>;
  mkdirSync(TMP_DIR, { recursive: true });
  const file = join(TMP_DIR, 'soak.json');
  writeFileSync(file, JSON.stringify({ ...demo, name: 'soak', ...(model ? { model } : {}), pose: { enabled: true, model: 'lite', delegate: 'CPU', maxPeople: 1 } }));
  return file;
}

async function waitUntil(check: () => Promise<boolean>, timeoutS: number): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutS * 1000) {
    if (await check().catch(() => false)) return (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

/**
 * Runs the installation as a gallery would — kiosk server, bridge, Chromium with a camera, a desk sending a
 * realistic mix with malformed packets — samples tensors, heap (after a forced GC), textures and fps, and injects
 * the faults a gallery meets. Reports slopes and recovery times; `failures` lists what went wrong.
 */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const log = o.log ?? (() => {});
  const sampleSeconds = o.sampleSeconds ?? 5;
  const show = soakShow(o.model);
  const models = o.modelsDir ? ['--models', o.modelsDir] : [];
  let kiosk: KioskProcess = await startKiosk(['--show', show, ...models]);
  let browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
  let page: Page = await browser.newPage({ viewport: { width: 640, height: 360 } });
  let cdp: CDPSession = await page.context().newCDPSession(page);
  const traffic = new DeskTraffic(kiosk.udpPort);
  const samples: SoakSample[] = [];
  const faults: FaultResult[] = [];
  const failures: string[] = [];
  const t0 = Date.now();
  const elapsed = (): number => (Date.now() - t0) / 1000;
  const running = async (): Promise<boolean> => (await page.evaluate(() => window.sitter?.phase() ?? 'none')) === 'running';
  const frames = async (): Promise<number> => page.evaluate(() => window.sitter?.framesPresented() ?? 0);

  const openPage = async (): Promise<void> => {
    await page.goto(kiosk.url);
    if ((await waitUntil(running, 120)) === null) throw new Error('the page did not reach "running"');
  };

  const sample = async (): Promise<void> => {
    await cdp.send('HeapProfiler.collectGarbage');
    const v = await page.evaluate(() => ({ vitals: window.sitter?.vitals(), frames: window.sitter?.framesPresented() ?? 0 }));
    if (!v.vitals) return;
    const s: SoakSample = {
      seconds: Math.round(elapsed()),
      tensors: v.vitals.tensors,
      tensorMB: Math.round((v.vitals.tensorBytes / 2 ** 20) * 100) / 100,
      heapMB: Math.round((v.vitals.heapBytes / 2 ** 20) * 100) / 100,
      textures: v.vitals.textures,
      fps: Math.round(v.vitals.fps * 10) / 10,
      frames: v.frames,
      phase: v.vitals.phase,
    };
    samples.push(s);
    log(`t=${s.seconds}s tensors=${s.tensors} (${s.tensorMB}MB) heap=${s.heapMB}MB textures=${s.textures} fps=${s.fps} frames=${s.frames} ${s.phase}`);
  };

  /** Frames keep arriving and the page is running: the common definition of "recovered". */
  const recovery = async (fault: string, inject: () => Promise<string>, extra?: () => Promise<boolean>, newPage = false): Promise<void> => {
    let before = await frames().catch(() => 0);
    const started = Date.now();
    const detail = await inject();
    // A new page counts its frames from zero.
    if (newPage) before = 0;
    const took = await waitUntil(async () => (await running()) && (await frames()) > before + 2 && (extra ? await extra() : true), 90);
    const seconds = took === null ? -1 : Math.round(((Date.now() - started) / 1000) * 10) / 10;
    faults.push({ fault, recovered: took !== null, seconds, detail });
    log(`fault ${fault}: ${took === null ? 'NOT recovered' : `recovered in ${seconds} s`} (${detail})`);
    if (took === null) failures.push(`${fault}: did not recover within 90 s`);
  };

  try {
    await openPage();
    traffic.start(o.minutes * 60);
    const end = t0 + o.minutes * 60_000;
    const faultTimes = o.faults ? [0.3, 0.45, 0.6, 0.75, 0.85].map((f) => t0 + f * o.minutes * 60_000) : [];
    let nextFault = 0;
    while (Date.now() < end) {
      await sample();
      if (nextFault < faultTimes.length && Date.now() >= (faultTimes[nextFault] as number)) {
        switch (nextFault++) {
          case 0:
            await recovery('webgl-context-loss', async () => String(await page.evaluate(() => window.sitter?.loseContext())));
            break;
          case 1:
            await recovery(
              'camera-track-stopped',
              async () => String(await page.evaluate(() => window.sitter?.stopCamera())),
              async () => (await page.evaluate(() => window.sitter?.vitals().camera)) === 'live',
            );
            break;
          case 2: {
            const r = await page.evaluate(() => window.sitter?.reloadShow('{ "cues": [ { "fade": "fast" } ] }'));
            const ok = r !== undefined && !r.ok && r.errors.some((e) => e.includes('cues[0].fade'));
            if (!ok) failures.push(`broken show reload: expected a refusal naming cues[0].fade, got ${JSON.stringify(r)}`);
            await recovery('broken-show-reload', async () => `refused: ${r?.errors[0] ?? '?'}`);
            break;
          }
          case 3: {
            const port = new URL(kiosk.url).port;
            const udp = kiosk.udpPort;
            await recovery(
              'kiosk-server-and-bridge-killed',
              async () => {
                await kiosk.stop();
                kiosk = await startKiosk(['--show', show, ...models, '--port', port, '--osc-port', String(udp)], { stateDir: kiosk.stateDir });
                return `restarted on port ${port}`;
              },
              async () => (await page.evaluate(() => window.sitter?.deskStatus())) === 'open',
            );
            break;
          }
          case 4: {
            traffic.pause(true);
            // Compare settled values only: the state store saves on changes, not every step of a cue fade, so a
            // restart mid-fade resumes the fade from the last save (seconds earlier). Wait out any fade (the demo's
            // are ≤ 12 s), then give the store time to catch up.
            const watched = ['grade/contrast', 'walk/mode', 'paint/amount'] as const;
            const snapshot = async () => page.evaluate((keys) => {
              const v = window.sitter?.values();
              return JSON.stringify(keys.map((k) => v?.[k]));
            }, [...watched]);
            for (let i = 0; i < 20; i++) {
              const a = await snapshot();
              await new Promise((r) => setTimeout(r, 1000));
              if ((await snapshot()) === a) break;
            }
            await new Promise((r) => setTimeout(r, 2500)); // let the state store catch up
            const before = await page.evaluate(() => ({ cue: window.sitter?.vitals().cue, values: window.sitter?.values() }));
            await recovery('browser-restart', async () => {
              await browser.close();
              browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
              page = await browser.newPage({ viewport: { width: 640, height: 360 } });
              cdp = await page.context().newCDPSession(page);
              await page.goto(kiosk.url);
              return 'new browser process';
            }, undefined, true);
            traffic.pause(false);
            const after = await page.evaluate(() => ({ cue: window.sitter?.vitals().cue, values: window.sitter?.values() }));
            for (const key of watched) {
              if (JSON.stringify(after.values?.[key]) !== JSON.stringify(before.values?.[key]) && before.cue === after.cue) {
                failures.push(`browser restart changed ${key}: ${JSON.stringify(before.values?.[key])} → ${JSON.stringify(after.values?.[key])}`);
              }
            }
            if (after.cue !== before.cue) failures.push(`browser restart changed the cue: ${before.cue} → ${after.cue}`);
            break;
          }
        }
      }
      await new Promise((r) => setTimeout(r, sampleSeconds * 1000));
    }
    await sample();
  } finally {
    traffic.close();
    await browser.close().catch(() => undefined);
    await kiosk.stop();
  }

  // Growth is judged after warm-up (the first fifth: shaders, caches, pools filling).
  const steady = samples.filter((s) => s.seconds >= o.minutes * 12 && s.phase === 'running');
  const xs = steady.map((s) => s.seconds / 60);
  const range = (k: 'tensors' | 'tensorMB' | 'textures' | 'heapMB'): [number, number] => [Math.min(...steady.map((s) => s[k])), Math.max(...steady.map((s) => s[k]))];
  return {
    minutes: o.minutes,
    samples,
    faults,
    slopes: {
      tensorsPerMinute: slope(xs, steady.map((s) => s.tensors)),
      tensorMBPerMinute: slope(xs, steady.map((s) => s.tensorMB)),
      heapMBPerMinute: slope(xs, steady.map((s) => s.heapMB)),
      texturesPerMinute: slope(xs, steady.map((s) => s.textures)),
    },
    ranges: { tensors: range('tensors'), tensorMB: range('tensorMB'), textures: range('textures'), heapMB: range('heapMB') },
    deskPackets: traffic.sent,
    malformedPackets: traffic.malformed,
    failures,
  };
}
