/**
 * A small, fast, seedable PRNG whose whole state is four 32-bit words, so a walker can copy it for a look-ahead
 * preview and get the same numbers the real ticks will draw later. xoshiro128** (Blackman & Vigna 2018,
 * "Scrambled linear pseudorandom number generators"), seeded through splitmix32 so that nearby seeds
 * (portrait #1234 and #1235) give unrelated streams. Normals by Box–Muller (Box & Muller 1958), spare kept in
 * the state so it is copied too.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = 0;
  private hasSpare = false;

  constructor(seed = 0, stream = 0) {
    this.reseed(seed, stream);
  }

  /** Restarts the generator: (seed, stream) fully decide every number that follows. */
  reseed(seed: number, stream = 0): this {
    let h = mix32((seed >>> 0) ^ mix32((stream | 0) + 0x632be5ab));
    h = splitmix32Next(h);
    this.s0 = h;
    h = splitmix32Next(h);
    this.s1 = h;
    h = splitmix32Next(h);
    this.s2 = h;
    h = splitmix32Next(h);
    this.s3 = h;
    // xoshiro's only forbidden state is all zeros.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.hasSpare = false;
    this.spare = 0;
    return this;
  }

  copyFrom(other: Rng): this {
    this.s0 = other.s0;
    this.s1 = other.s1;
    this.s2 = other.s2;
    this.s3 = other.s3;
    this.spare = other.spare;
    this.hasSpare = other.hasSpare;
    return this;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // 1 − u keeps the logarithm's argument in (0, 1]: never log(0).
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const a = 2 * Math.PI * u2;
    this.spare = r * Math.sin(a);
    this.hasSpare = true;
    return r * Math.cos(a);
  }

  /** Fills `out` with independent standard normals. */
  fillNormal(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A 32-bit integer finaliser (the murmur3 fmix32 constants): every input bit flips about half the output bits. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function splitmix32Next(state: number): number {
  return mix32((state + 0x9e3779b9) >>> 0);
}

/** Derives an independent seed from a seed and a counter (keyframe k of walk seed s, sibling i of a grid…). */
export function deriveSeed(seed: number, counter: number): number {
  return mix32((mix32(seed >>> 0) + Math.imul((counter | 0) ^ 0x5bd1e995, 0x27d4eb2d)) >>> 0);
}
