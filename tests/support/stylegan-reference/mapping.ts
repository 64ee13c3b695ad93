import type { StyleGanNetwork } from '../../../src/core/stylegan/network.ts';
import { ModuleView, fullyConnected } from './access.ts';

export interface ReferenceMapOptions {
  /** ψ: 1 leaves w unchanged, 0 gives w_avg. */
  readonly truncationPsi?: number;
  /** Truncate only ws[:cutoff] (a Python slice end: negative counts from the end); null = all. */
  readonly truncationCutoff?: number | null;
}

/** normalize_2nd_moment: x / sqrt(mean(x²) + 1e-8). */
function normalize2ndMoment(x: Float64Array): Float64Array {
  let ms = 0;
  for (const v of x) ms += v * v;
  const k = 1 / Math.sqrt(ms / x.length + 1e-8);
  return x.map((v) => v * k);
}

/**
 * MappingNetwork.forward (both code bases) at inference: z normalised to unit second moment; for a conditional
 * network, embed(c) (a linear layer) normalised the same way and concatenated after it; num_layers FC layers with
 * lrelu; w broadcast to num_ws copies; truncation lerps ws[:cutoff] toward w_avg by ψ.
 *
 * z is n×z_dim, c is n×c_dim (required when c_dim > 0); returns n×num_ws×w_dim.
 */
export function referenceMap(net: StyleGanNetwork, z: Float32Array, c?: Float32Array, opts: ReferenceMapOptions = {}): Float32Array {
  const mapping = ModuleView.root(net).child('mapping');
  const zDim = mapping.num('z_dim');
  const cDim = mapping.num('c_dim');
  const wDim = mapping.num('w_dim');
  const numWs = mapping.numOrNull('num_ws') ?? 1;
  const numLayers = mapping.num('num_layers');
  const psi = opts.truncationPsi ?? 1;
  const cutoff = opts.truncationCutoff ?? null;

  let n: number;
  if (zDim > 0) {
    if (z.length % zDim !== 0 || z.length === 0) throw new Error(`referenceMap: z has ${z.length} values, expected n × z_dim (${zDim})`);
    n = z.length / zDim;
  } else {
    n = cDim > 0 && c !== undefined ? c.length / cDim : 0;
  }
  if (cDim > 0) {
    if (c === undefined || c.length !== n * cDim) throw new Error(`referenceMap: this network is conditional: expected c with ${n} × c_dim (${cDim}) values, got ${c === undefined ? 'none' : c.length}`);
  }
  if (!Number.isInteger(n) || n < 1) throw new Error(`referenceMap: cannot tell the batch size from z (${z.length}) and c (${c?.length ?? 0})`);

  let wAvg: Float32Array | null = null;
  if (psi !== 1) {
    if (!mapping.hasTensor('w_avg')) throw new Error('referenceMap: truncation needs mapping.w_avg, which this network does not track');
    wAvg = mapping.tensor('w_avg', [wDim]).data;
  }
  let end = numWs;
  if (cutoff !== null) end = cutoff < 0 ? Math.max(numWs + cutoff, 0) : Math.min(cutoff, numWs);

  const out = new Float32Array(n * numWs * wDim);
  for (let b = 0; b < n; b++) {
    const parts: Float64Array[] = [];
    if (zDim > 0) parts.push(normalize2ndMoment(Float64Array.from(z.subarray(b * zDim, (b + 1) * zDim))));
    if (cDim > 0 && c !== undefined) {
      parts.push(normalize2ndMoment(fullyConnected(mapping.child('embed'), Float64Array.from(c.subarray(b * cDim, (b + 1) * cDim)))));
    }
    let x: Float64Array = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      x.set(p, at);
      at += p.length;
    }
    for (let i = 0; i < numLayers; i++) x = fullyConnected(mapping.child(`fc${i}`), x);
    if (x.length !== wDim) throw new Error(`referenceMap: the last mapping layer gives ${x.length} features, w_dim is ${wDim}`);
    for (let k = 0; k < numWs; k++) {
      for (let j = 0; j < wDim; j++) {
        const v = x[j] as number;
        // torch.lerp(w_avg, x, ψ) = w_avg + ψ·(x − w_avg).
        out[(b * numWs + k) * wDim + j] = wAvg !== null && k < end ? (wAvg[j] as number) + psi * (v - (wAvg[j] as number)) : v;
      }
    }
  }
  return out;
}
