import { spawn, type ChildProcess } from 'node:child_process';
import { kioskArgs, type LaunchFlagOptions } from './flags.ts';
import { allowMidiFor, markProfileClean } from './profile.ts';

export interface BrowserProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts Chromium on the kiosk URL. The watchdog decides when to stop and start it again. */
export function launchBrowser(executable: string, options: LaunchFlagOptions): BrowserProcess {
  markProfileClean(options.profileDir);
  allowMidiFor(options.profileDir, options.url);
  const child = spawn(executable, kioskArgs(options), { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
