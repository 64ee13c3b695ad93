import { parseHostPort } from '../src/core/screens/host-port.ts';

/** Options of `npm start -- …`, parsed without a dependency. */
export interface StartOptions {
  readonly show: string;
  readonly port: number;
  readonly host: string;
  readonly build: boolean;
  readonly open: boolean;
  readonly headless: boolean;
  readonly chromium: string;
  readonly oscQueryPort: number;
  /** Overrides the show's OSC UDP port (tests use 0). */
  readonly oscPort: number | null;
  /** Where state, logs and the browser profile live (default kiosk/state). */
  readonly stateDir: string | null;
  /** This kiosk's screen in the show's `screens` section (several screens, one piece). */
  readonly screen: string | null;
  /** The leading kiosk's host:port, overriding the show's screens.address. */
  readonly leader: string | null;
  /** A folder of model folders searched before the bundled models/ (a gallery's own models on another disk). */
  readonly modelsDir: string | null;
  /** A recording to replay under the live desk: a name in <state-dir>/recordings/, or a path to a .jsonl file. */
  readonly replay: string | null;
}

export const START_HELP = `npm start -- [options]
  --show <name|path> show file in show-configs/, or a path to a .json file (default: demo)
  --port <n>         HTTP port of the kiosk server (default: 8080)
  --host <addr>      address the HTTP server binds (default: 127.0.0.1)
  --no-build         serve the existing dist/ without rebuilding
  --open             launch Chromium in kiosk mode on the page, watched by the watchdog
  --headless         with --open: headless Chromium (tests, remote checks)
  --chromium <path>  browser executable (default: /usr/bin/chromium)
  --oscquery-port <n> OSCQuery HTTP port (default: 5678; 0 picks a free one)
  --osc-port <n>     OSC UDP port, overriding the show's (0 picks a free one)
  --state-dir <dir>  where state, logs and the browser profile live (default: kiosk/state)
  --screen <id>      this kiosk's screen in the show's "screens" section (several screens, one piece)
  --leader <host:port> the leading kiosk (default: the show's screens.address)
  --models <dir>     a folder of model folders, searched before the bundled models/ (e.g. imported models)
  --replay <name|path> replay a recording into the show under the live desk (a name in <state-dir>/recordings/,
                     or a path to a .jsonl file); looped when its header says "loop": true`;

export function parseStartArgs(argv: readonly string[]): StartOptions {
  const opts = { show: 'demo', port: 8080, host: '127.0.0.1', build: true, open: false, headless: false, chromium: '/usr/bin/chromium', oscQueryPort: 5678, oscPort: null as number | null, stateDir: null as string | null, screen: null as string | null, leader: null as string | null, modelsDir: null as string | null, replay: null as string | null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value\n\n${START_HELP}`);
      return v;
    };
    switch (a) {
      case '--show': opts.show = value(); break;
      case '--port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port: expected a port 0..65535, got ${argv[i]}`);
        opts.port = n;
        break;
      }
      case '--host': opts.host = value(); break;
      case '--state-dir': opts.stateDir = value(); break;
      case '--models': opts.modelsDir = value(); break;
      case '--replay': opts.replay = value(); break;
      case '--osc-port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--osc-port: expected a port 0..65535, got ${argv[i]}`);
        opts.oscPort = n;
        break;
      }
      case '--oscquery-port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--oscquery-port: expected a port 0..65535, got ${argv[i]}`);
        opts.oscQueryPort = n;
        break;
      }
      case '--screen': opts.screen = value(); break;
      case '--leader': {
        const v = value();
        if (!parseHostPort(v)) throw new Error(`--leader: expected the leading kiosk's host:port (e.g. 10.0.0.10:8080), got ${v}`);
        opts.leader = v;
        break;
      }
      case '--no-build': opts.build = false; break;
      case '--open': opts.open = true; break;
      case '--headless': opts.headless = true; break;
      case '--chromium': opts.chromium = value(); break;
      case '--help': case '-h': throw new Error(START_HELP);
      default: throw new Error(`unknown option ${a}\n\n${START_HELP}`);
    }
  }
  return opts;
}
