import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface KioskProcess {
  readonly url: string;
  readonly udpPort: number;
  /** OSCQuery's HTTP port. */
  readonly oscQueryPort: number;
  readonly stateDir: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `npm start`'s own entry (kiosk/start.ts) as a child process, on free ports and a private state folder,
 * and resolves once it prints where it listens. `--no-build` unless asked: the suite builds once in globalSetup.
 */
export async function startKiosk(args: readonly string[], options: { build?: boolean; stateDir?: string; env?: Readonly<Record<string, string>> } = {}): Promise<KioskProcess> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'sitter-state-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'kiosk/start.ts'), '--port', '0', '--osc-port', '0', '--oscquery-port', '0', '--state-dir', stateDir, ...(options.build ? [] : ['--no-build']), ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const ready = await new Promise<{ url: string; udp: number; oscQuery: number } | null>((resolveReady) => {
    const timer = setTimeout(() => resolveReady(null), 90_000);
    const check = (): void => {
      const url = /page:\s+(http:\/\/\S+)/.exec(out)?.[1];
      const udp = /OSC in:.*port (\d+)/.exec(out)?.[1];
      const oscQuery = /OSCQuery:\s+http .*port (\d+)/.exec(out)?.[1];
      if (url && udp && oscQuery) {
        clearTimeout(timer);
        resolveReady({ url, udp: Number(udp), oscQuery: Number(oscQuery) });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveReady(null);
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise<void>((r) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        r();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  };
  if (!ready) {
    await stop();
    throw new Error(`kiosk did not start:\n${out}`);
  }
  return { url: ready.url, udpPort: ready.udp, oscQueryPort: ready.oscQuery, stateDir, child, output: () => out, stop };
}

/** Runs kiosk/start.ts expecting it to refuse to start; resolves with its exit code and output. */
export function startKioskExpectingFailure(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveDone) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'kiosk/start.ts'), '--no-build', '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolveDone({ code, output: out });
    });
  });
}
