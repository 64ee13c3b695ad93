import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OSC from 'osc-js';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import { personVideoPath } from '../support/fake-camera.ts';
import { startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { RECORDING_FORMAT } from '../../src/core/record/index.ts';

async function sendOsc(port: number, address: string, value: number): Promise<void> {
  const msg = new OSC.TypedMessage(address, []);
  msg.add('f', value);
  const bytes = msg.pack();
  const sock = createSocket('udp4');
  await new Promise<void>((r, j) => sock.send(bytes, port, '127.0.0.1', (e) => (e ? j(e) : r())));
  sock.close();
}

/** `npm start -- --replay <name>`: a saved recording played into the page's bus, under the live desk, looped. */
describe('npm start -- --replay', () => {
  let kiosk: KioskProcess;
  let browser: Browser;

  beforeAll(async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sitter-replay-'));
    mkdirSync(join(stateDir, 'recordings'));
    // A rehearsed desk move (grade/contrast, which no demo cue touches), looped, as the page would have saved it.
    const lines = [
      { format: RECORDING_FORMAT, show: 'demo', start: 10, loop: true },
      { t: 10, kind: 'input', input: { op: 'set', name: 'grade/contrast', value: 1.37, source: 'desk', immediate: true } },
      { t: 10.5, kind: 'frame', dt: 0.5 },
      { t: 12, kind: 'frame', dt: 1.5 },
    ];
    writeFileSync(join(stateDir, 'recordings', 'rehearsal.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    kiosk = await startKiosk(['--show', 'demo', '--replay', 'rehearsal'], { stateDir });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  it('replays the recorded desk value into the bus, and a live desk write overrides it', async () => {
    expect(kiosk.output()).toContain('replay:');
    const page = await browser.newPage({ viewport: { width: 160, height: 90 } });
    await page.goto(kiosk.url);
    await page.waitForFunction(() => window.sitter?.values()['grade/contrast'] === 1.37, undefined, { timeout: 90_000, polling: 250 });
    const state = await page.evaluate(() => window.sitter?.replay?.());
    expect(state).toMatchObject({ name: 'rehearsal', state: 'playing', loop: true, dropped: 0, error: null });
    // The live desk (its own layer) wins over the replay (moved to the cue layer).
    await page.waitForFunction(() => window.sitter?.deskStatus() === 'open', undefined, { timeout: 60_000, polling: 250 });
    await sendOsc(kiosk.udpPort, '/sitter/grade/contrast', 1.5);
    await page.waitForFunction(() => window.sitter?.values()['grade/contrast'] === 1.5, undefined, { timeout: 20_000, polling: 250 });
    await page.waitForTimeout(2500);
    expect(await page.evaluate(() => window.sitter?.values()['grade/contrast'])).toBe(1.5);
    await page.close();
  });

  it('saves a recording made with key r to the kiosk when it stops', async () => {
    const page = await browser.newPage({ viewport: { width: 160, height: 90 } });
    await page.goto(kiosk.url);
    await page.waitForFunction(() => window.sitter?.replay?.()?.state === 'playing', undefined, { timeout: 60_000, polling: 250 });
    await page.keyboard.press('r');
    await page.waitForTimeout(600);
    await page.keyboard.press('r');
    let names: string[] = [];
    for (let i = 0; i < 40 && !names.some((n) => n.startsWith('demo-')); i++) {
      await new Promise((r) => setTimeout(r, 250));
      names = ((await (await fetch(`${kiosk.url}api/recordings`)).json()) as { recordings: { name: string }[] }).recordings.map((r) => r.name);
    }
    const saved = names.find((n) => n.startsWith('demo-'));
    expect(saved, names.join(', ')).toMatch(/^demo-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/);
    const text = await (await fetch(`${kiosk.url}api/recordings/${saved}`)).text();
    expect(text).toBe(await page.evaluate(() => window.sitter?.recording?.()));
    // The replay wrote grade/contrast while recording: the saved file holds it (values, never a frame).
    expect(text.split('\n')[0]).toContain('"format":"sitter-recording/1"');
    expect(text).toContain('"kind":"frame"');
    await page.close();
  });
});

describe('npm start -- --replay with a missing recording', () => {
  let kiosk: KioskProcess;
  let browser: Browser;

  beforeAll(async () => {
    kiosk = await startKiosk(['--show', 'demo', '--replay', 'nowhere']);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  it('says so on screen and runs the show live', async () => {
    const page = await browser.newPage({ viewport: { width: 160, height: 90 } });
    await page.goto(kiosk.url);
    await page.waitForFunction(() => window.sitter?.replay?.()?.state === 'failed', undefined, { timeout: 60_000, polling: 250 });
    expect(await page.evaluate(() => document.body.innerText)).toContain('replay "nowhere" not loaded: recording "nowhere" not found');
    await page.waitForFunction(() => window.sitter?.phase() === 'running' && window.sitter.framesPresented() >= 2, undefined, { timeout: 90_000, polling: 250 });
    await page.close();
  });
});
