/**
 * Which factor layout/upscale asks for, given the generator's card and whether an upscaler is loaded. Pure (no
 * tfjs), so the rule is tested in Node.
 *
 * - off: 1. x2 / x4: that factor, if the card allows the upscaler and the input is no bigger than it was made for.
 * - auto: 4 when the model's output is ≤ AUTO_MAX_SIDE px (the models the ×4 stage was made for: a 32 px model
 *   becomes 128 px, a 64 px one 256 px) and the card allows it; else 1.
 * - Without an upscaler (none shipped, or it failed to load) every mode is 1: the portrait still shows.
 */
import type { UpscaleMode } from '../../core/params/catalogue.ts';

/** auto upscales models whose output is at most this many pixels on its longer side. */
export const AUTO_MAX_SIDE = 128;

export type UpscaleFactor = 1 | 2 | 4;

export interface UpscaleContext {
  /** The generator's output size (its card's output). */
  readonly height: number;
  readonly width: number;
  /** The generator card's `upscale.allow`; absent counts as allowed. */
  readonly allowed: boolean;
  /** The loaded upscaler's largest input side, or null when none is loaded. */
  readonly maxSide: number | null;
}

export function upscaleFactor(mode: UpscaleMode | string, ctx: UpscaleContext): UpscaleFactor {
  if (ctx.maxSide === null || !ctx.allowed) return 1;
  const side = Math.max(ctx.height, ctx.width);
  if (side > ctx.maxSide) return 1;
  switch (mode) {
    case 'x2':
      return 2;
    case 'x4':
      return 4;
    case 'auto':
      return side <= AUTO_MAX_SIDE ? 4 : 1;
    default:
      return 1;
  }
}
