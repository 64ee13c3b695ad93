import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import { personVideoPath } from '../support/fake-camera.ts';

/** `npm run dev`: editing a show file applies it in the running page, without a reload. */
describe('show hot reload in development', () => {
  it('applies an edited show in place and refuses a broken edit without changing anything', async () => {
    const file = 'show-configs/zz-hot-reload-test.json';
    const demo = JSON.parse(readFileSync('show-configs/demo.json', 'utf8')) as Record<string, unknown>;
    const write = (contrast: number): void =>
      writeFileSync(file, JSON.stringify({ ...demo, name: 'zz-hot-reload-test', startCue: null, params: { 'grade/contrast': contrast } }));
    write(1.0);
    const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { port: 0, host: '127.0.0.1' } });
    await server.listen();
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
    try {
      const address = server.httpServer?.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const page = await browser.newPage({ viewport: { width: 320, height: 180 } });
      await page.goto(`http://127.0.0.1:${port}/?show=zz-hot-reload-test`);
      await page.waitForFunction(() => window.sitter?.phase() === 'running', undefined, { timeout: 120_000 });
      await page.evaluate(() => ((window as Window & { marker?: number }).marker = 42));
      expect(await page.evaluate(() => window.sitter?.values()['grade/contrast'])).toBe(1);

      write(1.4);
      await page.waitForFunction(() => window.sitter?.values()['grade/contrast'] === 1.4, undefined, { timeout: 20_000 });
      // Same page, same walk: no reload happened.
      expect(await page.evaluate(() => (window as Window & { marker?: number }).marker)).toBe(42);

      writeFileSync(file, '{ "cues": [ { "fade": "fast" } ] }');
      await page.waitForFunction(() => document.body.innerText.includes('Show not reloaded'), undefined, { timeout: 20_000 });
      expect(await page.evaluate(() => document.body.innerText)).toContain('cues[0].fade');
      expect(await page.evaluate(() => window.sitter?.values()['grade/contrast'])).toBe(1.4);
      expect(await page.evaluate(() => window.sitter?.phase())).toBe('running');
    } finally {
      rmSync(file, { force: true });
      await browser.close();
      await server.close();
    }
  });
});
