import { gaussianSpace, type LatentSpace } from './latent-space.ts';

/** Streams of the sibling partners, apart from keyframe and noise streams. */
const SIBLING_STREAM_BASE = -2000;
/**
 * Partners come from one fixed seed, not the walk's: a change of walk/seed then blends the walk and the grid
 * follows it continuously, instead of every sibling jumping to new partners at once.
 */
const SIBLING_SEED = 0x51b1;
/** Partners turn a quarter circle per keyframe interval: siblings change at the pace the walk does. */
const TURN_PER_KEYFRAME = Math.PI / 2;

/** Largest layout/grid (4×4). */
export const MAX_SIBLINGS = 16;

/**
 * Neighbours of a latent for the N×N grid wall: cell i is cos(α)·z + sin(α)·r_i(θ), with α = spread·π/2 and
 * r_i(θ) = a_i cos θ + b_i sin θ a partner turning in its own seeded plane. z and the partners are independent
 * N(0, I) draws and cos² + sin² = 1, so every sibling is itself a typical latent (on the shell); spread 0 gives
 * N² copies of z, spread 1 independent portraits that still move. For odd N the middle cell is the walk itself.
 * All state is θ, so a look-ahead copies one number. In a 'w' space the same construction runs about the centre c
 * with mapped partners: cell = c + cos α (w − c) + sin α ((p_a − c) cos θ + (p_b − c) sin θ), which keeps the
 * covariance about c of a w sample.
 */
export class SiblingLatents {
  private readonly partners: Float32Array[] = [];
  private partnersEpoch: number;
  theta = 0;

  constructor(
    readonly size: number,
    private readonly space: LatentSpace = gaussianSpace(size),
  ) {
    this.partnersEpoch = space.epoch;
  }

  /** Turns the partners by dt seconds at `keyframesPerSecond` (speed / keyframe-seconds). */
  advance(dt: number, keyframesPerSecond: number): void {
    const step = dt * keyframesPerSecond * TURN_PER_KEYFRAME;
    if (!(step > 0) || !Number.isFinite(step)) return;
    const t = this.theta + step;
    this.theta = t - Math.floor(t / (2 * Math.PI)) * 2 * Math.PI;
  }

  /** Writes count = N² latents ([count × size]) into out. */
  writeInto(z: Float32Array, grid: number, spread: number, out: Float32Array): Float32Array {
    const count = grid * grid;
    if (count > MAX_SIBLINGS) throw new RangeError(`siblings: grid ${grid}×${grid} exceeds ${MAX_SIBLINGS} cells`);
    if (out.length < count * this.size) throw new RangeError(`siblings: out holds ${out.length} numbers, need ${count * this.size}`);
    const centre = this.space.kind === 'w' ? this.space.centre : undefined;
    if (this.partnersEpoch !== this.space.epoch) {
      // Another class: the same streams make other w's.
      this.partnersEpoch = this.space.epoch;
      this.partners.forEach((p, i) => this.makePartner(i, p, centre));
    }
    // Allocated on first use of a larger grid only; two vectors per cell.
    while (this.partners.length < 2 * count) this.partners.push(this.makePartner(this.partners.length, new Float32Array(this.size), centre));
    const alpha = spread * (Math.PI / 2);
    const middle = grid % 2 === 1 ? (count - 1) / 2 : -1;
    const ct = Math.cos(this.theta);
    const st = Math.sin(this.theta);
    for (let c = 0; c < count; c++) {
      const a = c === middle ? 0 : alpha;
      const kz = Math.cos(a);
      const ka = Math.sin(a) * ct;
      const kb = Math.sin(a) * st;
      const pa = this.partners[2 * c] as Float32Array;
      const pb = this.partners[2 * c + 1] as Float32Array;
      const base = c * this.size;
      if (centre === undefined) {
        for (let i = 0; i < this.size; i++) out[base + i] = (z[i] as number) * kz + (pa[i] as number) * ka + (pb[i] as number) * kb;
      } else {
        for (let i = 0; i < this.size; i++) {
          const m = centre[i] as number;
          out[base + i] = m + ((z[i] as number) - m) * kz + (pa[i] as number) * ka + (pb[i] as number) * kb;
        }
      }
    }
    return out;
  }

  /** Partner i (centred on c in a 'w' space). */
  private makePartner(i: number, into: Float32Array, c: Float32Array | undefined): Float32Array {
    this.space.sampleInto(SIBLING_SEED, SIBLING_STREAM_BASE - i, into);
    if (c !== undefined) for (let j = 0; j < this.size; j++) into[j] = (into[j] as number) - (c[j] as number);
    return into;
  }
}
