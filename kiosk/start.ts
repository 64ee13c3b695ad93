/**
 * `npm start`: builds the page, starts the kiosk server (app, models, show files, health, state) and the OSC
 * bridge, prints where everything listens, and with --open runs Chromium in kiosk mode under the watchdog.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStartArgs } from './cli-args.ts';
import { createLogger } from './server/log.ts';
import { startKioskServer } from './server/http.ts';
import { StateStore } from './server/state-store.ts';
import { launchBrowser } from './launch/browser.ts';
import { DEFAULT_LIMITS } from './watchdog/policy.ts';
import { startSupervisor, type Supervisor } from './watchdog/supervisor.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const opts = parseStartArgs(process.argv.slice(2));
  const showFile = join(root, 'show-configs', `${opts.show}.json`);
  if (!existsSync(showFile)) throw new Error(`show "${opts.show}" not found: expected ${showFile}`);
  const stateDir = join(root, 'kiosk', 'state');
  mkdirSync(stateDir, { recursive: true });
  const logger = createLogger({ file: join(stateDir, 'sitter.log'), echo: true });

  if (opts.build || !existsSync(join(root, 'dist', 'index.html'))) {
    console.log('building the page…');
    const { build } = await import('vite');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }

  let supervisor: Supervisor | null = null;
  const server = await startKioskServer({
    distDir: join(root, 'dist'),
    rootDir: root,
    store: new StateStore(stateDir),
    logger,
    host: opts.host,
    port: opts.port,
    pageConfig: () => ({ show: opts.show }),
    onHeartbeat: (vitals, atMs) => supervisor?.heartbeat(vitals, atMs),
  });
  logger.info('started', { url: server.url, show: opts.show });
  console.log(`\nSitter is running the show "${opts.show}"\n  page:   ${server.url}\n  health: ${server.url}health\n`);

  if (opts.open) {
    supervisor = startSupervisor({
      limits: DEFAULT_LIMITS,
      logger,
      launch: () => launchBrowser(opts.chromium, { url: server.url, profileDir: join(stateDir, 'chromium-profile'), headless: opts.headless }),
    });
  }

  const stop = async (): Promise<void> => {
    await supervisor?.stop();
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
