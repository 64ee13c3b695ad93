/**
 * A screenshot of a show as a visitor sees it, for documentation and for checking a model at display size:
 *
 *   npm run screenshot -- --show demo --out docs.png [--size 1920x1080] [--frames 8] [--settle 3]
 *
 * Runs `npm start`'s own entry on free ports (built page, no desk), opens it in Debian's Chromium at the given size,
 * waits until the generator has presented `--frames` frames and `--settle` more seconds have passed (a morph in
 * progress is part of the picture), then writes a PNG. Headless Chromium here draws with SwiftShader, so the wait is
 * long; on a kiosk with a GPU it is short.
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../tests/support/chromium.ts';
import { startKiosk } from '../tests/support/kiosk-process.ts';
import { errorMessage } from '../src/core/error-message.ts';

interface Args {
  readonly show: string;
  readonly out: string;
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  readonly settle: number;
  readonly build: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = get('--out');
  if (!out) throw new Error('usage: npm run screenshot -- --show <name> --out <file.png> [--size 1920x1080] [--frames 8] [--settle 3] [--build]');
  const size = /^(\d+)x(\d+)$/.exec(get('--size') ?? '1920x1080');
  if (!size) throw new Error(`--size: expected WIDTHxHEIGHT, got "${get('--size') ?? ''}"`);
  const num = (flag: string, fallback: number): number => {
    const v = get(flag);
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag}: expected a number ≥ 0, got "${v ?? ''}"`);
    return n;
  };
  return {
    show: get('--show') ?? 'demo',
    out,
    width: Number(size[1]),
    height: Number(size[2]),
    frames: num('--frames', 8),
    settle: num('--settle', 3),
    build: argv.includes('--build'),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const kiosk = await startKiosk(['--show', args.show], { build: args.build });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: args.width, height: args.height } });
    await page.goto(kiosk.url);
    await page.waitForFunction((n) => ((window as unknown as { sitter?: { framesPresented(): number } }).sitter?.framesPresented() ?? 0) >= n, args.frames, {
      timeout: 600_000,
      polling: 500,
    });
    await page.waitForTimeout(args.settle * 1000);
    await page.screenshot({ path: args.out });
    console.log(`${args.out}: ${args.width}×${args.height}, show "${args.show}"`);
  } finally {
    await browser.close();
    await kiosk.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`screenshot: ${errorMessage(e)}`);
  process.exit(1);
});
