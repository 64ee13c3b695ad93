/**
 * `npm start`: builds the page, starts the kiosk server (app, models, show files, health, state) and the OSC
 * bridge, prints where everything listens, and with --open runs Chromium in kiosk mode under the watchdog.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStartArgs } from './cli-args.ts';
import { createLogger } from './server/log.ts';
import { startKioskServer } from './server/http.ts';
import { StateStore } from './server/state-store.ts';
import { RecordingStore } from './server/recording-store.ts';
import { launchBrowser } from './launch/browser.ts';
import { startBridge } from './bridge/index.ts';
import { formatIssue, loadShow } from '../src/core/show/index.ts';
import { SCREENS_WS_PATH } from '../src/core/screens/protocol.ts';
import { parseDirectionsText } from '../src/core/latent/directions.ts';
import { PARAMS } from '../src/core/params/catalogue.ts';
import { nameSteering } from '../src/core/params/steering-names.ts';
import { limitsFromShow } from './watchdog/show-limits.ts';
import { startSupervisor, type Supervisor } from './watchdog/supervisor.ts';
import { startScreen } from './screens/start-screen.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The model's direction names for OSCQuery; none when it has no (valid) directions.json, which the page reports. */
function directionNames(file: string): string[] {
  if (!existsSync(file)) return [];
  const parsed = parseDirectionsText(readFileSync(file, 'utf8'));
  return parsed.ok ? parsed.value.directions.map((d) => d.name) : [];
}

async function main(): Promise<void> {
  const opts = parseStartArgs(process.argv.slice(2));
  // A name means show-configs/<name>.json; a path to a .json file is copied in under its own name at start.
  const isPath = opts.show.endsWith('.json');
  const showFile = isPath ? resolve(opts.show) : join(root, 'show-configs', `${opts.show}.json`);
  if (!existsSync(showFile)) throw new Error(`show "${opts.show}" not found: expected ${showFile}`);
  const showName = isPath ? basename(showFile, '.json') : opts.show;
  // A broken show is refused here with every error and its path, before anything starts.
  const loaded = loadShow(readFileSync(showFile, 'utf8'), { name: showName });
  if (!loaded.ok) throw new Error(`${showFile} is not a valid show:\n  ${loaded.issues.map(formatIssue).join('\n  ')}`);
  const show = loaded.show;
  const stateDir = opts.stateDir ? resolve(opts.stateDir) : join(root, 'kiosk', 'state');
  const modelsDir = opts.modelsDir ? resolve(opts.modelsDir) : null;
  if (modelsDir && !existsSync(modelsDir)) throw new Error(`--models ${opts.modelsDir}: no such folder`);
  // The page asks for /models/<id>/…: a gallery's folder first, then the bundled one (which also holds pose/).
  const modelFolder = modelsDir && existsSync(join(modelsDir, show.model, 'card.json')) ? join(modelsDir, show.model) : join(root, 'models', show.model);
  mkdirSync(stateDir, { recursive: true });
  const logger = createLogger({ file: join(stateDir, 'sitter.log'), echo: true });
  // Refused before anything listens: an unknown --screen names the ids the show has.
  const screen = opts.screen === null ? null : startScreen({ show, screen: opts.screen, leader: opts.leader, modelFolder, logger });

  if (opts.build || !existsSync(join(root, 'dist', 'index.html'))) {
    console.log('building the page…');
    const { build } = await import('vite');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }

  const recordings = new RecordingStore(join(stateDir, 'recordings'), logger);
  // A name is a saved recording; anything with a slash or a .jsonl ending is a file. Read at each request, so a
  // missing or broken one is reported by the page, which then runs live (never refused here: the show must go on).
  const replayFile = opts.replay === null ? null : opts.replay.includes('/') || opts.replay.endsWith('.jsonl') ? resolve(opts.replay) : join(recordings.dir, `${opts.replay}.jsonl`);
  if (replayFile && !existsSync(replayFile)) logger.warn('replay-missing', { replay: opts.replay, file: replayFile });

  let supervisor: Supervisor | null = null;
  // Created before the server so /api/config can name its ports; attached to the server once it listens.
  let bridgeInfo: { udp: number; oscQuery: number | null } = { udp: 0, oscQuery: null };
  let bridgeCounters: (() => Record<string, unknown>) | null = null;
  const server = await startKioskServer({
    distDir: join(root, 'dist'),
    rootDir: root,
    ...(modelsDir ? { extraModelDirs: [modelsDir] } : {}),
    store: new StateStore(stateDir, logger),
    recordings,
    ...(replayFile && opts.replay !== null
      ? {
          replay: () => {
            const name = opts.replay as string;
            try {
              return { name, text: readFileSync(replayFile, 'utf8') };
            } catch {
              return { name, error: `recording "${name}" not found: expected ${replayFile}` };
            }
          },
        }
      : {}),
    logger,
    host: opts.host,
    port: opts.port,
    showFile,
    pageConfig: () => ({ show: showName, bridge: { wsPath: '/osc', ...bridgeInfo }, ...(opts.screen !== null ? { screen: opts.screen } : {}), ...(opts.replay !== null ? { replay: opts.replay } : {}) }),
    onHeartbeat: (vitals, atMs) => supervisor?.heartbeat(vitals, atMs),
    allowOrigins: show.osc.allowOrigins,
    upgradePaths: ['/osc', ...(screen ? [SCREENS_WS_PATH] : [])],
    healthExtra: () => ({ ...(bridgeCounters ? { osc: bridgeCounters() } : {}), ...(screen ? { screens: screen.health() } : {}) }),
  });
  const bridge = await startBridge({
    specs: nameSteering(PARAMS, directionNames(join(modelFolder, 'directions.json')), show.model),
    udp: { hosts: show.osc.bind, port: opts.oscPort ?? show.osc.port },
    feedback: show.osc.feedback ? { host: show.osc.feedback.host, port: show.osc.feedback.port } : null,
    http: { hosts: show.osc.bind, port: opts.oscQueryPort },
    attach: server.server,
    wsPath: '/osc',
    allow: show.osc.allow,
    origins: server.origins,
    // The kiosk's Logger as is: every event keeps its fields (reason, from, address of each drop).
    logger,
    ...(screen ? screen.bridge : {}),
  });
  bridgeInfo = { udp: bridge.ports.udp, oscQuery: bridge.ports.http };
  screen?.attachPages((text) => bridge.sendToPages(text));
  bridgeCounters = () => {
    const s = bridge.stats();
    return { ...bridge.counters(), pages: s.pages, oscQueryClients: s.oscQueryClients, pageValuesClamped: s.pageValuesClamped, udpBound: s.udpBound };
  };
  logger.info('started', { url: server.url, show: showName, oscUdp: bridge.ports.udp, oscQuery: bridge.ports.http });
  console.log(
    `\nSitter is running the show "${showName}"\n  page:     ${server.url}\n  health:   ${server.url}health\n` +
      `  OSC in:   udp ${show.osc.bind.join(', ')} port ${bridge.ports.udp}\n` +
      `  OSCQuery: http ${show.osc.bind.join(', ')} port ${bridge.ports.http ?? 'off'}\n` +
      `  allow:    ${show.osc.allow.length ? show.osc.allow.join(', ') : 'any sender'}${show.osc.allowOrigins.length ? `; web pages from ${show.osc.allowOrigins.join(', ')}` : ''}\n` +
      `  feedback: ${show.osc.feedback ? `${show.osc.feedback.host}:${show.osc.feedback.port}` : 'off'}\n` +
      (screen ? `  screen:   ${screen.describe}\n` : '') +
      (replayFile ? `  replay:   ${replayFile}\n` : ''),
  );

  if (opts.open) {
    supervisor = startSupervisor({
      limits: limitsFromShow(show),
      logger,
      launch: () => launchBrowser(opts.chromium, { url: server.url, profileDir: join(stateDir, 'chromium-profile'), headless: opts.headless }),
    });
  }

  const stop = async (): Promise<void> => {
    await supervisor?.stop();
    await screen?.close();
    await bridge.close();
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
