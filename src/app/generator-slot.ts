/** What the slot holds: anything that owns GPU resources and frees them in dispose(). */
export interface Disposable {
  dispose(): void;
}

export interface GeneratorSlotHooks<T> {
  /** A build finished and is now `current` (never called for a build that was superseded or disposed). */
  readonly onReady: (contents: T) => void;
  /** A build failed; another is tried after `retrySeconds` unless rebuild(), invalidate() or dispose() comes first. */
  readonly onFailure: (error: unknown, retrySeconds: number) => void;
  /** dispose() of old contents threw (after a lost context it may): reported, never rethrown. */
  readonly onDisposeError?: (error: unknown) => void;
  readonly retrySeconds: number;
}

/**
 * The generator's one home in the app. Loading a model takes seconds, and during those seconds the context can be
 * lost, the device can be lost, the show can be reloaded or the page torn down. The slot makes those races
 * harmless: one build runs at a time, a build asked for while one runs starts after it (the first one's result is
 * disposed, as it may come from a lost context), anything that arrives after invalidate() or dispose() is disposed
 * at once, and the old contents are always disposed before new ones are built, so at most one generator holds GPU
 * memory. Failed builds are retried on a timer the slot owns.
 */
export class GeneratorSlot<T extends Disposable> {
  private contents: T | null = null;
  /** Bumped by rebuild(), invalidate() and dispose(): a build begun in an older epoch is stale when it lands. */
  private epoch = 0;
  private wanted = false;
  private building: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly build: () => Promise<T>,
    private readonly hooks: GeneratorSlotHooks<T>,
  ) {}

  get current(): T | null {
    return this.contents;
  }

  /** True while a build is in flight. */
  get busy(): boolean {
    return this.building !== null;
  }

  /** Disposes what the slot holds and builds anew; resolves when no build is wanted any more. */
  rebuild(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.cancelRetry();
    this.epoch++;
    this.release();
    this.wanted = true;
    this.building ??= this.run();
    return this.building;
  }

  /** The contents are unusable (context lost): dispose them and build nothing until rebuild(). */
  invalidate(): void {
    this.epoch++;
    this.wanted = false;
    this.cancelRetry();
    this.release();
  }

  dispose(): void {
    this.disposed = true;
    this.invalidate();
  }

  private async run(): Promise<void> {
    try {
      while (this.wanted && !this.disposed) {
        this.wanted = false;
        const epoch = this.epoch;
        let built: T;
        try {
          built = await this.build();
        } catch (e) {
          if (epoch === this.epoch && !this.disposed) {
            this.hooks.onFailure(e, this.hooks.retrySeconds);
            this.retryTimer = setTimeout(() => {
              this.retryTimer = null;
              void this.rebuild();
            }, this.hooks.retrySeconds * 1000);
          }
          continue;
        }
        if (epoch !== this.epoch || this.disposed) {
          this.safeDispose(built);
          continue;
        }
        this.contents = built;
        this.hooks.onReady(built);
      }
    } finally {
      this.building = null;
    }
  }

  private release(): void {
    const old = this.contents;
    this.contents = null;
    if (old) this.safeDispose(old);
  }

  private safeDispose(contents: T): void {
    try {
      contents.dispose();
    } catch (e) {
      this.hooks.onDisposeError?.(e);
    }
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
