import type { LatentDirection, ParsedDirections } from '../core/latent/directions.ts';
import { MappedSpace } from '../core/latent/latent-space.ts';
import { Walker } from '../core/latent/walker.ts';
import { StyleRows } from '../core/stylegan/style-rows.ts';
import type { Generator } from '../generator/index.ts';
import type { StyleFeed } from './portrait-pipeline.ts';

export interface WalkSetup {
  readonly walker: Walker;
  /** Present for a StyleGAN: the walk is in w and the queue takes style rows. */
  readonly styles?: StyleFeed;
}

/** Where the walk walks for this generator: w for a StyleGAN (through its CPU mapping), else the model's z. */
export function walkSpaceOf(generator: Generator): { readonly kind: 'z' | 'w'; readonly size: number } {
  const sg = generator.stylegan;
  return sg ? { kind: 'w', size: sg.runtime.wDim } : { kind: 'z', size: generator.card.latent.size };
}

/**
 * The walker for a generator's model. A StyleGAN walks in w (what performers expect: smoother, truncation a lerp to
 * w_avg; src/core/latent/README.md), centred on the card's averageW when it has one; other models walk in z as
 * always. Directions are kept only when they live in the same space (the caller reports the rest).
 */
export function createWalk(generator: Generator, directions: readonly LatentDirection[]): WalkSetup {
  const card = generator.card;
  const sg = generator.stylegan;
  if (!sg) return { walker: new Walker({ size: card.latent.size, ...(card.mean ? { mean: Float32Array.from(card.mean) } : {}), directions }) };
  const centre = card.averageW && card.averageW.length === sg.runtime.wDim ? Float32Array.from(card.averageW) : undefined;
  const space = new MappedSpace(sg.mapping, centre);
  const walker = new Walker({ size: space.size, space, directions });
  return { walker, styles: { space, rows: new StyleRows(walker, space), target: sg.settings } };
}

/** Directions for a walk in `kind` space, or why they do not fit. */
export function directionsFor(parsed: ParsedDirections, kind: 'z' | 'w'): { readonly directions: readonly LatentDirection[]; readonly problem?: string } {
  if (!parsed.ok) return { directions: [], problem: parsed.errors.join('; ') };
  const space = parsed.value.space ?? 'z';
  if (space !== kind) return { directions: [], problem: `they are ${space}-space directions and this model walks in ${kind} (run npm run directions again)` };
  return { directions: parsed.value.directions };
}
