import type { GeneratedFrame } from './frame.ts';

/** What the queue needs from a generator (Generator satisfies it). */
export interface FrameSource {
  generate(latents: Float32Array, n: number): Promise<GeneratedFrame[]>;
}

export interface QueueOptions {
  /** Requests running at once (each may be a batch); more wait. Default 1: the GPU is one device anyway. */
  readonly maxInFlight?: number;
  /** Requests waiting behind the running ones; when full, the oldest waiting one is dropped. Default 1. */
  readonly maxWaiting?: number;
  /** Every batch that arrives, in completion order: the same frames request() resolves with (release them once). */
  readonly onFrames?: (frames: GeneratedFrame[]) => void;
  /**
   * A generate() that failed (device lost, say); the queue keeps going with the next request. Given this, the
   * failed request resolves to null instead of rejecting (fire-and-forget callers need no catch).
   */
  readonly onError?: (error: unknown) => void;
}

export interface QueueStats {
  readonly requested: number;
  readonly completed: number;
  /** Superseded while waiting, or cut by dispose(). */
  readonly dropped: number;
  readonly failed: number;
  readonly inFlight: number;
  readonly waiting: number;
}

interface Job {
  readonly latents: Float32Array;
  readonly n: number;
  readonly resolve: (frames: GeneratedFrame[] | null) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Lets the walker ask for frames at its own pace without ever blocking the frame loop: at most `maxInFlight`
 * generations run, at most `maxWaiting` requests wait, and a new request beyond that pushes out the oldest waiting
 * one (its promise resolves to null). Latest wins: a walker that outruns the GPU skips latents, never lags behind.
 */
export class GenerationQueue {
  private readonly source: FrameSource;
  private readonly maxInFlight: number;
  private readonly maxWaiting: number;
  private readonly options: QueueOptions;
  private readonly waiting: Job[] = [];
  private running = 0;
  private requested = 0;
  private completed = 0;
  private dropped = 0;
  private failed = 0;
  private disposed = false;
  private readonly timers = new Map<ReturnType<typeof setTimeout>, Job>();

  constructor(source: FrameSource, options: QueueOptions = {}) {
    this.source = source;
    this.options = options;
    this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? 1));
    this.maxWaiting = Math.max(0, Math.floor(options.maxWaiting ?? 1));
  }

  /**
   * Asks for n frames from n latents (the array is copied: the walker may reuse its buffer). Resolves with the
   * frames, which the caller then owns and must release(), or null if the request was dropped (or failed, when
   * onError is set; otherwise it rejects).
   */
  request(latents: Float32Array, n = 1): Promise<GeneratedFrame[] | null> {
    if (this.disposed) return Promise.resolve(null);
    this.requested++;
    return new Promise((resolve, reject) => {
      const job: Job = { latents: latents.slice(), n, resolve, reject };
      if (this.running < this.maxInFlight) this.start(job);
      else if (this.maxWaiting === 0) this.drop(job);
      else {
        if (this.waiting.length >= this.maxWaiting) this.drop(this.waiting.shift());
        this.waiting.push(job);
      }
    });
  }

  /** True when a new request would start at once (the walker may use it to pace itself). */
  get idle(): boolean {
    return this.running < this.maxInFlight && this.waiting.length === 0;
  }

  stats(): QueueStats {
    return {
      requested: this.requested,
      completed: this.completed,
      dropped: this.dropped,
      failed: this.failed,
      inFlight: this.running,
      waiting: this.waiting.length,
    };
  }

  /**
   * Drops waiting and not yet started requests; frames of generations still running are released on arrival.
   * The generator itself is not touched (the app disposes it).
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of this.waiting.splice(0)) this.drop(job);
    for (const [timer, job] of this.timers) {
      clearTimeout(timer);
      this.running--;
      this.drop(job);
    }
    this.timers.clear();
  }

  private drop(job: Job | undefined): void {
    if (!job) return;
    this.dropped++;
    job.resolve(null);
  }

  private start(job: Job): void {
    this.running++;
    // generate() dispatches the model synchronously before its first await (all of it on cpu): run it in a task
    // of its own so request() returns at once and the frame that asked can still be drawn on time.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(job);
    }, 0);
    this.timers.set(timer, job);
  }

  private run(job: Job): void {
    let p: Promise<GeneratedFrame[]>;
    try {
      p = this.source.generate(job.latents, job.n);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (frames) => {
        this.running--;
        if (this.disposed) {
          // Nobody is listening any more: give the frames straight back.
          for (const f of frames) f.release();
          this.drop(job);
        } else {
          this.completed++;
          this.options.onFrames?.(frames);
          job.resolve(frames);
        }
        this.next();
      },
      (e: unknown) => {
        this.running--;
        this.failed++;
        if (this.options.onError) {
          this.options.onError(e);
          job.resolve(null);
        } else job.reject(e);
        this.next();
      },
    );
  }

  private next(): void {
    while (!this.disposed && this.running < this.maxInFlight && this.waiting.length > 0) {
      const job = this.waiting.shift();
      if (job) this.start(job);
    }
  }
}
