import type { BrowserProcess } from '../launch/browser.ts';
import type { Logger } from '../server/log.ts';
import type { PageVitals } from '../server/vitals.ts';
import { WatchdogPolicy, type WatchdogLimits } from './policy.ts';
import { sdNotify } from './sd-notify.ts';

export interface SupervisorOptions {
  readonly limits: WatchdogLimits;
  readonly logger: Logger;
  /** Starts the browser on the page; called again for every restart. */
  readonly launch: () => BrowserProcess;
  readonly intervalMs?: number;
  readonly nowMs?: () => number;
}

export interface Supervisor {
  /** Feed each page heartbeat here (the kiosk server's onHeartbeat). */
  heartbeat(vitals: PageVitals, atMs: number): void;
  restarts(): number;
  stop(): Promise<void>;
}

/**
 * Runs the browser under the watchdog: restarts it when the page stops beating, slows to a crawl or leaks past a
 * limit, logs every restart with its cause, and feeds systemd's watchdog only while the page is alive — so if this
 * process itself wedges, systemd restarts the whole service.
 */
export function startSupervisor(o: SupervisorOptions): Supervisor {
  const nowMs = o.nowMs ?? Date.now;
  const policy = new WatchdogPolicy(o.limits);
  let browser: BrowserProcess | null = null;
  let restarting = false;
  let count = 0;
  let lastHoldLog = 0;

  const localTime = (): { minutes: number; day: number } => {
    const d = new Date(nowMs());
    return { minutes: d.getHours() * 60 + d.getMinutes(), day: Math.floor((nowMs() - d.getTimezoneOffset() * 60_000) / 86_400_000) };
  };

  const start = (): void => {
    const b = o.launch();
    browser = b;
    policy.started(nowMs() / 1000, localTime().day);
    void b.exited.then((code) => {
      if (browser === b && !restarting) {
        o.logger.warn('browser-exited', { code });
        policy.exited();
      }
    });
  };

  const restart = async (cause: string, detail: string): Promise<void> => {
    restarting = true;
    count++;
    o.logger.warn('browser-restart', { cause, detail, restarts: count });
    try {
      await browser?.stop();
    } finally {
      restarting = false;
    }
    start();
  };

  const timer = setInterval(() => {
    if (restarting) return;
    const t = nowMs() / 1000;
    const { minutes, day } = localTime();
    if (policy.alive(t)) sdNotify('WATCHDOG=1');
    const v = policy.check(t, minutes, day);
    if (v.action === 'restart') void restart(v.cause, v.detail);
    else if (v.action === 'hold' && t - lastHoldLog > 60) {
      lastHoldLog = t;
      o.logger.error('restart-held', { cause: v.cause, untilSeconds: Math.round(v.untilS - t) });
    }
  }, o.intervalMs ?? 1000);

  start();
  sdNotify('READY=1');

  return {
    heartbeat: (vitals, atMs) => policy.heartbeat(vitals, atMs / 1000),
    restarts: () => count,
    stop: async () => {
      clearInterval(timer);
      restarting = true;
      await browser?.stop();
    },
  };
}
