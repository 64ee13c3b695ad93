/**
 * The display-rate loop: calls step(now, dt) once per animation frame and measures fps over one-second windows.
 * Time is handed in (seconds), never read inside the steps, so core logic stays testable.
 */
export class FrameLoop {
  private handle = 0;
  private last = -1;
  private frames = 0;
  private windowStart = -1;
  private measured = 0;
  private running = false;

  constructor(
    private readonly step: (nowS: number, dtS: number) => void,
    private readonly raf: (cb: FrameRequestCallback) => number = (cb) => requestAnimationFrame(cb),
    private readonly caf: (h: number) => void = (h) => cancelAnimationFrame(h),
  ) {}

  private readonly tick = (ms: number): void => {
    if (!this.running) return;
    this.handle = this.raf(this.tick);
    const now = ms / 1000;
    // A hidden tab or a GPU stall can pause rAF for seconds: clamp dt so nothing leaps on return.
    const dt = this.last < 0 ? 0 : Math.min(0.25, Math.max(0, now - this.last));
    this.last = now;
    if (this.windowStart < 0) this.windowStart = now;
    this.frames++;
    if (now - this.windowStart >= 1) {
      this.measured = this.frames / (now - this.windowStart);
      this.frames = 0;
      this.windowStart = now;
    }
    this.step(now, dt);
  };

  start(): void {
    if (this.running) return;
    this.running = true;
    this.last = -1;
    this.handle = this.raf(this.tick);
  }

  stop(): void {
    this.running = false;
    this.caf(this.handle);
  }

  fps(): number {
    return this.measured;
  }
}
