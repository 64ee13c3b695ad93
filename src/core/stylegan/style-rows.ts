import type { LatentSpace } from '../latent/latent-space.ts';
import type { Walker } from '../latent/walker.ts';
import type { StyleSettings } from './style-settings.ts';

/**
 * Rows of w sent per image to a StyleGAN's synthesis: [walk at ψ, walk at ψ = 1, mix portrait at ψ, mix portrait at
 * ψ = 1], each steered like the walk. The GPU builds the image's num_ws ws by picking one row per layer
 * (styleRowOfLayer), so style mixing and the truncation cutoff cost one gather in the same batched call, and the
 * upload stays 4 × w_dim numbers per image whatever num_ws is.
 */
export const STYLE_ROWS = 4;

/**
 * Fills the rows for the walker's last tick (one image, or the N×N grid's cells). Rows nobody reads this frame
 * (no cutoff: rows 1 and 3; no mixing: rows 2 and 3) are copies, so no mapping is spent on them. Allocates only
 * when a larger grid is first asked for.
 */
export class StyleRows {
  readonly wDim: number;
  private readonly mixW: Float32Array;
  private mixSeed = Number.NaN;
  private mixEpoch = Number.NaN;
  private untruncated: Float32Array;

  constructor(
    private readonly walker: Walker,
    private readonly space: LatentSpace,
  ) {
    if (walker.space !== space) throw new Error('StyleRows: the walker must walk this space');
    this.wDim = space.size;
    this.mixW = new Float32Array(this.wDim);
    this.untruncated = new Float32Array(this.wDim);
  }

  /** Numbers per image. */
  get rowSize(): number {
    return STYLE_ROWS * this.wDim;
  }

  /** Writes cells × STYLE_ROWS × wDim numbers into out (cells = 1, or grid² for the wall). */
  writeInto(cells: number, s: StyleSettings, out: Float32Array): Float32Array {
    const d = this.wDim;
    const truncation = this.walker.truncation;
    if (out.length < cells * STYLE_ROWS * d) throw new RangeError(`style rows: out holds ${out.length} numbers, need ${cells * STYLE_ROWS * d}`);
    const cutoff = s.truncationCutoff !== null;
    const mixing = s.mixLayer !== null;
    // Row 0 of every cell first, packed at the front; then spread out from the back so nothing is overwritten.
    const packed = out.subarray(0, cells * d);
    if (cells === 1) packed.set(this.walker.latent());
    else this.walker.siblingsInto(packed, truncation);
    if (cutoff && cells > 1 && this.untruncated.length < cells * d) this.untruncated = new Float32Array(cells * d);
    const free = cutoff ? this.untruncated.subarray(0, cells * d) : undefined;
    if (free) {
      if (cells === 1) this.walker.finishInto(this.walker.walkedLatent(), 1, free);
      else this.walker.siblingsInto(free, 1);
    }
    for (let c = cells - 1; c >= 0; c--) {
      const base = c * STYLE_ROWS * d;
      out.copyWithin(base, c * d, (c + 1) * d);
      if (free) out.set(free.subarray(c * d, (c + 1) * d), base + d);
      else out.copyWithin(base + d, base, base + d);
    }
    if (mixing) {
      if (this.mixSeed !== s.mixSeed || this.mixEpoch !== this.space.epoch) {
        this.space.sampleInto(s.mixSeed, 0, this.mixW);
        this.mixSeed = s.mixSeed;
        this.mixEpoch = this.space.epoch;
      }
      const first = out.subarray(2 * d, 3 * d);
      this.walker.finishInto(this.mixW, truncation, first);
      const second = out.subarray(3 * d, 4 * d);
      if (cutoff) this.walker.finishInto(this.mixW, 1, second);
      else second.set(first);
      for (let c = 1; c < cells; c++) out.copyWithin(c * STYLE_ROWS * d + 2 * d, 2 * d, 4 * d);
    } else {
      for (let c = 0; c < cells; c++) out.copyWithin(c * STYLE_ROWS * d + 2 * d, c * STYLE_ROWS * d, c * STYLE_ROWS * d + 2 * d);
    }
    return out;
  }
}
