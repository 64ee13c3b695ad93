import { latentFromSeed } from './seed-latent.ts';

/** Streams of the sibling partners, apart from keyframe and noise streams. */
const SIBLING_STREAM_BASE = -2000;

/** Largest layout/grid (4×4). */
export const MAX_SIBLINGS = 16;

/**
 * Neighbours of a latent for the N×N grid wall: cell i is cos(α)·z + sin(α)·r_i with r_i a fixed latent of the
 * walk's seed and α = spread·π/2. Because z and r_i are independent N(0, I) draws and cos² + sin² = 1, every
 * sibling is itself a typical latent (on the shell), spread 0 gives N² copies of z and spread 1 unrelated
 * portraits. Siblings follow the walk smoothly, since α and r_i do not change from tick to tick. For odd N the
 * middle cell is the walk itself.
 */
export class SiblingLatents {
  private readonly partners: Float32Array[] = [];
  private seed = Number.NaN;

  constructor(readonly size: number) {}

  /** Writes count = N² latents ([count × size]) into out. */
  writeInto(z: Float32Array, grid: number, spread: number, seed: number, out: Float32Array): Float32Array {
    const count = grid * grid;
    if (count > MAX_SIBLINGS) throw new RangeError(`siblings: grid ${grid}×${grid} exceeds ${MAX_SIBLINGS} cells`);
    if (out.length < count * this.size) throw new RangeError(`siblings: out holds ${out.length} numbers, need ${count * this.size}`);
    if (seed !== this.seed) {
      for (let i = 0; i < this.partners.length; i++) latentFromSeed(seed, this.size, this.partners[i], SIBLING_STREAM_BASE - i);
      this.seed = seed;
    }
    while (this.partners.length < count) {
      this.partners.push(latentFromSeed(seed, this.size, undefined, SIBLING_STREAM_BASE - this.partners.length));
    }
    const alpha = spread * (Math.PI / 2);
    const middle = grid % 2 === 1 ? (count - 1) / 2 : -1;
    for (let c = 0; c < count; c++) {
      const a = c === middle ? 0 : alpha;
      const ca = Math.cos(a);
      const sa = Math.sin(a);
      const r = this.partners[c] as Float32Array;
      const base = c * this.size;
      for (let i = 0; i < this.size; i++) out[base + i] = (z[i] as number) * ca + (r[i] as number) * sa;
    }
    return out;
  }
}
