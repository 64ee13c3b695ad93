import { spawn } from 'node:child_process';

/**
 * Tells systemd we are alive (WatchdogSec=) or ready. Node cannot send on a unix datagram socket itself, so this
 * goes through `systemd-notify`; the unit sets NotifyAccess=all for that. Outside systemd it does nothing.
 */
export function sdNotify(state: 'READY=1' | 'WATCHDOG=1' | 'STOPPING=1'): void {
  if (!process.env.NOTIFY_SOCKET) return;
  const child = spawn('systemd-notify', [`--pid=${process.pid}`, state], { stdio: 'ignore' });
  child.on('error', () => undefined);
}
