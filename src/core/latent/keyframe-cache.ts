import type { LatentSpace } from './latent-space.ts';

/** Room for a whole loop (walk/loop-keyframes ≤ 64) plus the noise loop's harmonics without evicting each other. */
export const KEYFRAME_CACHE_SLOTS = 72;

/**
 * The keyframes a motion is using, recomputed on demand from (seed, stream) — they are pure functions of those,
 * so the cache never needs copying for a look-ahead and can never grow: a fixed number of direct-mapped slots,
 * each allocated once, on first use. A day-long tour cycles through the same few slots.
 */
export class KeyframeCache {
  private readonly vectors: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(KEYFRAME_CACHE_SLOTS);
  private readonly seeds = new Float64Array(KEYFRAME_CACHE_SLOTS).fill(Number.NaN);
  private readonly streams = new Float64Array(KEYFRAME_CACHE_SLOTS).fill(Number.NaN);
  private readonly epochs = new Float64Array(KEYFRAME_CACHE_SLOTS).fill(Number.NaN);
  private misses = 0;
  readonly size: number;

  constructor(readonly space: LatentSpace) {
    this.size = space.size;
  }

  /** space.sampleInto(seed, stream), from the cache when it is there. Do not modify the result. */
  get(seed: number, stream: number): Float32Array {
    const slot = ((stream % KEYFRAME_CACHE_SLOTS) + KEYFRAME_CACHE_SLOTS) % KEYFRAME_CACHE_SLOTS;
    let v = this.vectors[slot];
    const epoch = this.space.epoch;
    if (v !== undefined && this.seeds[slot] === seed && this.streams[slot] === stream && this.epochs[slot] === epoch) return v;
    if (v === undefined) {
      v = new Float32Array(this.size);
      this.vectors[slot] = v;
    }
    this.space.sampleInto(seed, stream, v);
    this.seeds[slot] = seed;
    this.streams[slot] = stream;
    this.epochs[slot] = epoch;
    this.misses++;
    return v;
  }

  /** How many keyframe vectors exist now (bounded by KEYFRAME_CACHE_SLOTS). */
  allocated(): number {
    let n = 0;
    for (const v of this.vectors) if (v !== undefined) n++;
    return n;
  }

  /** How many keyframes were computed (not served from the cache) so far. */
  computed(): number {
    return this.misses;
  }
}
