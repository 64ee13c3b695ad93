/** What the page tells the kiosk server every second; mirrors kiosk/server/vitals.ts. */
export interface Vitals {
  fps: number;
  tensors: number;
  tensorBytes: number;
  heapBytes: number;
  backend: string;
  camera: string;
  pose: string;
  cue: number;
  phase: string;
  textures: number;
  /** The frame-budget governor's state and last step ('off' when the show turns it off). */
  governor: string;
}

interface MemoryPerformance {
  memory?: { usedJSHeapSize: number };
}

/** Chromium's non-standard heap figure; 0 elsewhere. */
export function heapBytes(): number {
  return (performance as Performance & MemoryPerformance).memory?.usedJSHeapSize ?? 0;
}

/**
 * Sends vitals to the kiosk server once a second. The watchdog restarts the browser when these stop, so the
 * heartbeat is sent from the frame loop's own state: a frozen page stops beating by itself.
 */
export class Heartbeat {
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight = false;

  constructor(
    private readonly read: () => Vitals,
    private readonly url = '/api/heartbeat',
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
  }

  async beat(): Promise<void> {
    // One request at a time: a slow server must not pile up requests in a page meant to run for weeks.
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      await fetch(this.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(this.read()) });
    } catch {
      // The server may be restarting; the next beat will try again.
    } finally {
      this.inFlight = false;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
