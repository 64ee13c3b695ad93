/**
 * The One-Euro filter (Casiez, Roussel, Vogel, "1€ Filter: A Simple Speed-based Low-pass Filter for Noisy Input in
 * Interactive Systems", CHI 2012): a low-pass whose cutoff rises with the signal's speed, so a still pose is steady
 * and a quick gesture is not late. Time is passed in (seconds), never read, as in tfjs-models'
 * shared/filters/one_euro_filter.ts.
 */
export interface OneEuroOptions {
  /** Cutoff (Hz) at rest: lower is steadier. The paper's reference implementation uses 1. */
  readonly minCutoff?: number;
  /** How fast the cutoff grows with speed (per unit/s): higher reacts sooner. 0 is a plain low-pass. */
  readonly beta?: number;
  /** Cutoff (Hz) of the low-pass on the speed estimate; 1 in the paper. */
  readonly dCutoff?: number;
}

/** Defaults from the paper's reference implementation (mincutoff 1, dcutoff 1), beta tuned for −1..1 features. */
export const ONE_EURO_DEFAULTS: Required<OneEuroOptions> = { minCutoff: 1, beta: 0.5, dCutoff: 1 };

/** Smoothing factor of a first-order low-pass with cutoff fc (Hz) over dt seconds (paper, eq. 2 and 3). */
function alpha(cutoff: number, dt: number): number {
  const tau = 1 / (2 * Math.PI * cutoff);
  return 1 / (1 + tau / dt);
}

export class OneEuroFilter {
  private readonly minCutoff: number;
  private readonly beta: number;
  private readonly dCutoff: number;
  private x: number | undefined;
  private dx = 0;
  private t = 0;

  constructor(options: OneEuroOptions = {}) {
    const o = { ...ONE_EURO_DEFAULTS, ...options };
    for (const k of ['minCutoff', 'dCutoff'] as const) {
      if (!(o[k] > 0)) throw new RangeError(`OneEuroFilter.${k}: expected Hz > 0, got ${o[k]}`);
    }
    if (!(o.beta >= 0)) throw new RangeError(`OneEuroFilter.beta: expected ≥ 0, got ${o.beta}`);
    this.minCutoff = o.minCutoff;
    this.beta = o.beta;
    this.dCutoff = o.dCutoff;
  }

  /** Filters sample `value` taken at time `t` (seconds). A sample not later than the last one changes nothing. */
  filter(value: number, t: number): number {
    if (this.x === undefined) {
      this.x = value;
      this.t = t;
      return value;
    }
    const dt = t - this.t;
    if (!(dt > 0)) return this.x;
    const rawDx = (value - this.x) / dt;
    this.dx += alpha(this.dCutoff, dt) * (rawDx - this.dx);
    const cutoff = this.minCutoff + this.beta * Math.abs(this.dx);
    this.x += alpha(cutoff, dt) * (value - this.x);
    this.t = t;
    return this.x;
  }

  /** The last output, or undefined before the first sample. */
  value(): number | undefined {
    return this.x;
  }

  reset(): void {
    this.x = undefined;
    this.dx = 0;
    this.t = 0;
  }
}
