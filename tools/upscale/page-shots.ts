/**
 * 1920×1080 screenshots of the demo show through the real kiosk (`npm start`'s server, built page), once with
 * layout/upscale auto and once off, grain off and cues stopped so the two differ only by the upscaler:
 * `npx tsx tools/upscale/page-shots.ts` → tools/upscale/.work/page-{auto,off}.png. Builds the page first unless
 * dist/ is current (kiosk --no-build is passed when --no-build is given here).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../../tests/support/chromium.ts';
import { personVideoPath } from '../../tests/support/fake-camera.ts';
import { startKiosk } from '../../tests/support/kiosk-process.ts';

const out = join(import.meta.dirname, '.work');
mkdirSync(out, { recursive: true });
const demo = JSON.parse(readFileSync(join(import.meta.dirname, '../../show-configs/demo.json'), 'utf8')) as { render: Record<string, unknown> };
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
try {
  for (const mode of ['auto', 'off']) {
    const file = join(out, `demo-${mode}.json`);
    const show = { ...demo, name: `demo-upscale-${mode}`, cues: [], startCue: null, credits: null, render: { ...demo.render, 'layout/upscale': mode, 'grain/amount': 0 } };
    writeFileSync(file, JSON.stringify(show));
    const kiosk = await startKiosk(['--show', file], { build: !process.argv.includes('--no-build') });
    try {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await page.goto(kiosk.url);
      await page.waitForFunction(() => window.sitter?.phase() === 'running' && window.sitter.framesPresented() >= 4, undefined, { timeout: 240_000 });
      await page.waitForTimeout(3000);
      writeFileSync(join(out, `page-${mode}.png`), await page.screenshot());
      console.log(`wrote ${join(out, `page-${mode}.png`)}`);
      await page.close();
    } finally {
      await kiosk.stop();
    }
  }
} finally {
  await browser.close();
}
