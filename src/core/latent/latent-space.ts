import { latentFromSeed } from './seed-latent.ts';

/** What a mapped space needs of a mapping network (src/core/stylegan/cpu-mapping.ts's CpuMapping has it). */
export interface LatentMapping {
  readonly zDim: number;
  readonly wDim: number;
  /** The network's running mean of w, when it tracks one. */
  readonly wAvg: Float32Array | null;
  mapInto(z: ArrayLike<number>, out: Float32Array): Float32Array;
  /** A conditional network's class; true when that changed what it maps to. */
  setClass?(index: number): boolean;
}

/**
 * Where the walker walks. 'z': the prior itself, N(0, I) — keyframes are seeded normals and the geometry is the
 * Gaussian shell's (slerp, radial Catmull-Rom, Ornstein–Uhlenbeck drift). 'w': a StyleGAN's intermediate space —
 * keyframes are w = mapping(z(seed, stream)), interpolation is affine (lerp, plain Catmull-Rom) about `centre`, and
 * the Gaussian constructions (drift, jitter) run in z and are mapped as they go.
 */
export interface LatentSpace {
  readonly kind: 'z' | 'w';
  /** Numbers per walked vector (z_dim or w_dim). */
  readonly size: number;
  /** Numbers per prior vector (z_dim); equals size for 'z'. */
  readonly priorSize: number;
  /** 'w': the centre of the walk's affine constructions and of truncation (w_avg); 'z': undefined (the origin). */
  readonly centre: Float32Array | undefined;
  /** Changes whenever the same (seed, stream) would now give another vector (a conditional model's class). */
  readonly epoch: number;
  /** Keyframe `stream` of seed `seed`, into out (size numbers). */
  sampleInto(seed: number, stream: number, out: Float32Array): Float32Array;
  /** A prior vector into out (priorSize numbers) into the walked space (size numbers); a copy for 'z'. */
  mapInto(z: Float32Array, out: Float32Array): Float32Array;
}

/** Today's space: z ~ N(0, I); sampleInto is latentFromSeed, bit for bit. */
export function gaussianSpace(size: number): LatentSpace {
  return {
    kind: 'z',
    size,
    priorSize: size,
    centre: undefined,
    epoch: 0,
    sampleInto: (seed, stream, out) => latentFromSeed(seed, size, out, stream),
    mapInto: (z, out) => {
      out.set(z);
      return out;
    },
  };
}

/** Samples used for the centre when the network tracks no w_avg. */
const CENTRE_SAMPLES = 256;
const CENTRE_SEED = 0x3e47;

/** A StyleGAN's w space, walked through its mapping network on the CPU. */
export class MappedSpace implements LatentSpace {
  readonly kind = 'w';
  readonly size: number;
  readonly priorSize: number;
  readonly centre: Float32Array;
  private epochValue = 0;
  private readonly z: Float32Array;

  /** `centre`: the card's averageW if it has one; else the network's w_avg; else the mean of 256 mapped samples. */
  constructor(
    private readonly mapping: LatentMapping,
    centre?: Float32Array,
  ) {
    this.size = mapping.wDim;
    this.priorSize = mapping.zDim;
    this.z = new Float32Array(mapping.zDim);
    const c = centre ?? mapping.wAvg ?? this.sampleMean();
    if (c.length !== this.size) throw new RangeError(`w space: the centre has ${c.length} numbers, w has ${this.size}`);
    this.centre = c;
  }

  get epoch(): number {
    return this.epochValue;
  }

  /** A conditional model's class: every keyframe changes with it (a cut, like loading another model). */
  setClass(index: number): void {
    if (this.mapping.setClass?.(index) === true) this.epochValue++;
  }

  sampleInto(seed: number, stream: number, out: Float32Array): Float32Array {
    latentFromSeed(seed, this.priorSize, this.z, stream);
    return this.mapping.mapInto(this.z, out);
  }

  mapInto(z: Float32Array, out: Float32Array): Float32Array {
    return this.mapping.mapInto(z, out);
  }

  private sampleMean(): Float32Array {
    const sum = new Float64Array(this.size);
    const w = new Float32Array(this.size);
    for (let i = 0; i < CENTRE_SAMPLES; i++) {
      this.sampleInto(CENTRE_SEED, i, w);
      for (let j = 0; j < this.size; j++) sum[j] = (sum[j] as number) + (w[j] as number);
    }
    return Float32Array.from(sum, (v) => v / CENTRE_SAMPLES);
  }
}
