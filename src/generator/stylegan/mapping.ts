import * as tf from '@tensorflow/tfjs';
import { Dense, normalize2ndMoment, Uploads } from './common.ts';
import type { ModuleView } from './tree.ts';

export interface TruncationOptions {
  /** ψ: 1 = none, 0 = every w at w_avg. */
  readonly truncationPsi?: number;
  /** Only the first `truncationCutoff` ws are truncated; null/undefined = all (both code bases' behaviour). */
  readonly truncationCutoff?: number | null;
}

/**
 * MappingNetwork (StyleGAN2-ADA and StyleGAN3 compute the same thing): z normalised to unit second moment, the
 * label embedded and normalised likewise and concatenated, the FC stack, w broadcast to num_ws copies, then
 * truncation toward w_avg for the first `cutoff` of them.
 */
export class Mapping {
  readonly zDim: number;
  readonly cDim: number;
  readonly wDim: number;
  readonly numWs: number;
  private readonly embed: Dense | null;
  private readonly layers: Dense[] = [];
  private readonly wAvg: tf.Tensor1D | null;
  readonly wAvgValues: Float32Array | null;

  constructor(m: ModuleView, numWs: number, up: Uploads) {
    this.zDim = m.num('z_dim');
    this.cDim = m.num('c_dim');
    this.wDim = m.num('w_dim');
    this.numWs = numWs;
    this.embed = this.cDim > 0 ? new Dense(m.child('embed'), up) : null;
    const numLayers = m.num('num_layers');
    for (let i = 0; i < numLayers; i++) this.layers.push(new Dense(m.child(`fc${i}`), up));
    const wAvg = m.optTensor('w_avg');
    this.wAvgValues = wAvg === null ? null : wAvg.data;
    this.wAvg = wAvg === null ? null : (up.from(wAvg) as tf.Tensor1D);
  }

  /** z [n, zDim], c [n, cDim] (required when cDim > 0) → ws [n, numWs, wDim]. Call inside tf.tidy. */
  apply(z: tf.Tensor2D, c: tf.Tensor2D | null, options: TruncationOptions = {}): tf.Tensor3D {
    const n = z.shape[0];
    if (z.shape[1] !== this.zDim) throw new Error(`mapping: z has shape [${z.shape.join(', ')}], expected [n, ${this.zDim}]`);
    let x: tf.Tensor2D | null = this.zDim > 0 ? normalize2ndMoment(z) : null;
    if (this.embed !== null) {
      if (c === null) throw new Error(`mapping: this model is conditional (c_dim ${this.cDim}); pass a label c of shape [n, ${this.cDim}]`);
      if (c.shape[0] !== n || c.shape[1] !== this.cDim) throw new Error(`mapping: c has shape [${c.shape.join(', ')}], expected [${n}, ${this.cDim}]`);
      const y = normalize2ndMoment(this.embed.apply(c));
      x = x === null ? y : tf.concat([x, y], 1);
    }
    if (x === null) throw new Error('mapping: a network with z_dim 0 and c_dim 0 has no input');
    for (const l of this.layers) x = l.apply(x);
    let ws = tf.tile(tf.expandDims(x, 1), [1, this.numWs, 1]) as tf.Tensor3D;
    const psi = options.truncationPsi ?? 1;
    if (psi !== 1) ws = this.truncate(ws, psi, options.truncationCutoff ?? null);
    return ws;
  }

  /** lerp(w_avg, w, ψ) on the first `cutoff` ws (all when null). */
  truncate(ws: tf.Tensor3D, psi: number, cutoff: number | null): tf.Tensor3D {
    if (this.wAvg === null) throw new Error('mapping: truncation needs w_avg, which this network does not track (w_avg_beta None)');
    const k = cutoff === null ? this.numWs : Math.max(0, Math.min(this.numWs, Math.floor(cutoff)));
    if (k === 0) return ws;
    const lerped = tf.add(this.wAvg, tf.mul(tf.sub(ws, this.wAvg), psi)) as tf.Tensor3D;
    if (k === this.numWs) return lerped;
    const mask = tf.reshape(tf.concat([tf.ones([k]), tf.zeros([this.numWs - k])]), [1, this.numWs, 1]);
    return tf.add(tf.mul(lerped, mask), tf.mul(ws, tf.sub(1, mask))) as tf.Tensor3D;
  }
}
