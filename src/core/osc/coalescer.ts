/**
 * Latest value per key until the next frame takes them all. A desk fader flooding one address at 10,000 messages/s
 * costs one Map write per message and one bus write per frame; distinct keys are bounded so a sender inventing new
 * addresses cannot grow memory without end. Keys keep their first-arrival order (Map insertion order), so a
 * frame applies "cue go" and the fader that came before it in the order they came.
 */
export type Offer = 'new' | 'replaced' | 'full';

export class Coalescer<T> {
  readonly limit: number;
  private pending = new Map<string, T>();
  private spare = new Map<string, T>();

  constructor(limit = 1024) {
    this.limit = limit;
  }

  get size(): number {
    return this.pending.size;
  }

  offer(key: string, value: T): Offer {
    if (this.pending.has(key)) {
      this.pending.set(key, value);
      return 'replaced';
    }
    if (this.pending.size >= this.limit) return 'full';
    this.pending.set(key, value);
    return 'new';
  }

  /** Hands every pending value to `apply` in arrival order and empties the queue (reusing both maps). */
  drain(apply: (value: T, key: string) => void): number {
    if (this.pending.size === 0) return 0;
    // Swap first: values offered while applying (a command that causes input) wait for the next frame.
    const batch = this.pending;
    this.pending = this.spare;
    this.spare = batch;
    const n = batch.size;
    try {
      for (const [k, v] of batch) apply(v, k);
    } finally {
      batch.clear();
    }
    return n;
  }

  clear(): void {
    this.pending.clear();
  }
}
